// One catalogue per language, of one shape (Messages); English now. A language added here is a
// file like en.ts and one line below; the structure follows the widget's six (en fr de es ru uk).
import { en, type Messages } from './en.js';

export type ConsoleLanguage = 'en' | 'fr' | 'de' | 'es' | 'ru' | 'uk';
const catalogues: Partial<Record<ConsoleLanguage, Messages>> = { en };

let current: Messages = en;
export function setLanguage(lang: ConsoleLanguage) {
  current = catalogues[lang] ?? en;
}

/** `msg((m) => m.tokens.title)` or with values: `msg((m) => m.common.pageOf, { from: 1, to: 50, total: 80 })`. */
export function msg(pick: (m: Messages) => string, values: Record<string, string | number> = {}): string {
  return pick(current).replace(/\{(\w+)\}/g, (all, k: string) => (k in values ? String(values[k]) : all));
}
