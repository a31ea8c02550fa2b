// The portal's look: the palette and base styles of shared/ui/styles.ts (the app uses the same).
export { base, theme } from '../../shared/ui/styles.js';
