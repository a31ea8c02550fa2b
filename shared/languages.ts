import { widgetLanguages, type WidgetLanguage } from './protocol.js';

// The six languages of every page a user sees (the widget, the self-service portal, the
// authenticator app), and the one rule for choosing among them: the language asked for when we
// have it, else the browser's first one we have, else English.

export type Language = WidgetLanguage;

/** Each language's own name, shown in a switcher whatever the active language is. */
export const languageNames: Record<Language, string> = {
  en: 'English',
  fr: 'Français',
  de: 'Deutsch',
  es: 'Español',
  ru: 'Русский',
  uk: 'Українська',
};

export const isLanguage = (l: unknown): l is Language => (widgetLanguages as readonly unknown[]).includes(l);

/** `wanted` if we have it ('auto' or anything else: no); else the first of `preferred` we have; else English. */
export function pickLanguage(wanted: string | null | undefined, preferred: readonly string[]): Language {
  if (isLanguage(wanted)) return wanted;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/** A message with `{name}` placeholders filled; an unknown placeholder stays as it is. */
export const fill = (template: string, vars: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (all, k: string) => (vars[k] === undefined ? all : String(vars[k])));
