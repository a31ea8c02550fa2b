import type en from './en.js';

/** Every catalogue has exactly the English keys (the compiler checks each language file). */
export type AppMessages = { [K in keyof typeof en]: string };
