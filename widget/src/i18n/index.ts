// Message catalogues of the iframe app: one module per language, loaded with a dynamic import so
// the build splits them into chunks and a visitor downloads only the active one (DESIGN §7.2).
import { pickLanguage as pickShared } from '../../../shared/languages.js';
import type { WidgetLanguage } from '../../../shared/protocol.js';
import type { Messages } from './messages.js';

export type { MessageKey, Messages } from './messages.js';

type Loader = () => Promise<{ default: Messages }>;

// Literal specifiers, one per language: the bundler must see each import to emit its chunk.
const loaders: Record<WidgetLanguage, Loader> = {
  en: () => import('./en.js'),
  fr: () => import('./fr.js'),
  de: () => import('./de.js'),
  es: () => import('./es.js'),
  ru: () => import('./ru.js'),
  uk: () => import('./uk.js'),
};

export { isLanguage, languageNames } from '../../../shared/languages.js';

const cache = new Map<WidgetLanguage, Promise<Messages>>();

/** Languages whose catalogue was requested, in order (tests check nothing else was fetched). */
export const requestedLanguages: WidgetLanguage[] = [];

/** `wanted` if it has a catalogue; for 'auto' (or anything else) the browser's first supported language; else English. */
export const pickLanguage = (wanted: string | undefined, preferred: readonly string[] = navigator.languages): WidgetLanguage => pickShared(wanted, preferred);

export function loadMessages(lang: WidgetLanguage): Promise<Messages> {
  let p = cache.get(lang);
  if (!p) {
    requestedLanguages.push(lang);
    p = loaders[lang]().then((m) => m.default);
    // A failed download may be retried later (e.g. when the connection is back).
    p.catch(() => cache.delete(lang));
    cache.set(lang, p);
  }
  return p;
}

/** Messages of one language plus the formatting that depends on it. */
export interface Translator {
  lang: WidgetLanguage;
  m: Messages;
  /** A template with `{key}` placeholders filled in. */
  f(template: string, vars: Record<string, string | number>): string;
  /** A wait in whole seconds, minutes or hours, rounded up ("2 minutes"). */
  time(seconds: number): string;
}

export function translator(lang: WidgetLanguage, m: Messages): Translator {
  const plural = new Intl.PluralRules(lang);
  const f = (template: string, vars: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (all, k: string) => String(vars[k] ?? all));
  const time = (seconds: number) => {
    const s = Math.max(1, Math.ceil(seconds));
    const [n, unit] = s < 60 ? [s, m.units.second] : s < 3600 ? [Math.ceil(s / 60), m.units.minute] : [Math.ceil(s / 3600), m.units.hour];
    return `${n} ${unit[plural.select(n)] ?? unit.other}`;
  };
  return { lang, m, f, time };
}
