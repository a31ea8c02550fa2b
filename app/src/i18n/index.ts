import de from './de.js';
import en from './en.js';
import es from './es.js';
import fr from './fr.js';
import type { AppMessages } from './messages.js';
import ru from './ru.js';
import uk from './uk.js';

export type { AppMessages };

export const languages: Record<'en' | 'fr' | 'de' | 'es' | 'ru' | 'uk', AppMessages> = { en, fr, de, es, ru, uk };
export type Lang = keyof typeof languages;
export const languageNames: Record<Lang, string> = { en: 'English', fr: 'Français', de: 'Deutsch', es: 'Español', ru: 'Русский', uk: 'Українська' };

export const isLang = (l: unknown): l is Lang => typeof l === 'string' && Object.hasOwn(languages, l);

/** The chosen language, else the browser's first one we have, else English. */
export function pickLang(wanted: string | null, preferred: readonly string[] = navigator.languages): Lang {
  if (isLang(wanted)) return wanted;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return 'en';
}

export const fill = (template: string, vars: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (all, k: string) => String(vars[k] ?? all));
