// Entry of the app that runs inside the Veriframe iframe (built to dist/widget/frame.js).
// Importing a component registers its custom element; the app shell that drives the
// identify → OTP → result steps is added by a later issue.
import './vf-code-input.js';

export { VfCodeInput } from './vf-code-input.js';
