// The app's look: the palette and base styles of shared/ui/styles.ts, with the app's spacing.
import { css } from 'lit';
import { base as sharedBase } from '../../shared/ui/styles.js';

export { theme } from '../../shared/ui/styles.js';

export const base = [
  sharedBase,
  css`
    button {
      margin: 0 0.5rem 0.5rem 0;
    }
    section {
      margin: 0 0 1.5rem;
    }
  `,
];
