import type { AppMessages } from './messages.js';
import en from './en.js';

// TODO translate
export default { ...en } satisfies AppMessages;
