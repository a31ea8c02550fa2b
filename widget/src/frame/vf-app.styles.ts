import { css } from 'lit';
import { base } from './styles.js';

// Theme colours as custom properties on the host; every child component reads them. A site's
// own values (config.style) are set inline on the host element, which beats these :host rules.
// Both palettes keep text at 4.5:1 and borders at 3:1 or better (axe-checked in the tests).
const light = css`
  color-scheme: light;
  --vf-text: #1f2328;
  --vf-muted: #59636e;
  --vf-bg: #ffffff;
  --vf-border: #6e7781;
  --vf-accent: #0969da;
  --vf-on-accent: #ffffff;
  --vf-error: #b3261e;
`;
const dark = css`
  color-scheme: dark;
  --vf-text: #e6edf3;
  --vf-muted: #9198a1;
  --vf-bg: #0d1117;
  --vf-border: #7d8590;
  --vf-accent: #4493f8;
  --vf-on-accent: #0d1117;
  --vf-error: #ff7b72;
`;

export const appStyles = [
  base,
  css`
    :host {
      ${light}
      --vf-radius: 6px;
      --vf-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
      display: flow-root;
      font-size: 1rem;
      line-height: 1.4;
      color: var(--vf-text);
      background: var(--vf-bg);
    }
    :host([theme='dark']) {
      ${dark}
    }
    @media (prefers-color-scheme: dark) {
      :host([theme='auto']) {
        ${dark}
      }
    }
    .card {
      padding: 1rem;
      min-height: 2rem;
    }
    :host([size='compact']) .card {
      padding: 0.5rem;
    }
    h1 {
      margin: 0 0 0.75rem;
      font-size: 1.125rem;
      font-weight: 600;
    }
    h1:focus {
      outline: none;
    }
    .alert {
      color: var(--vf-error);
      font-size: 0.875rem;
    }
    .alert:not(:empty) {
      margin-bottom: 0.75rem;
    }
    .done {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      font-weight: 600;
    }
    .check {
      color: var(--vf-accent);
      font-size: 1.25rem;
    }
    .footer {
      margin-top: 1rem;
    }
  `,
];
