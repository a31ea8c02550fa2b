import de from './de.js';
import en from './en.js';
import es from './es.js';
import fr from './fr.js';
import type { AppMessages } from './messages.js';
import ru from './ru.js';
import uk from './uk.js';
import { isLanguage, pickLanguage } from '../../../shared/languages.js';

export type { AppMessages };

export const languages: Record<'en' | 'fr' | 'de' | 'es' | 'ru' | 'uk', AppMessages> = { en, fr, de, es, ru, uk };
export type Lang = keyof typeof languages;
// Names, choice and placeholders are the same on every page a user sees (shared/languages.ts).
export { fill, languageNames } from '../../../shared/languages.js';

export const isLang = (l: unknown): l is Lang => isLanguage(l);

/** The chosen language, else the browser's first one we have, else English. */
export const pickLang = (wanted: string | null, preferred: readonly string[] = navigator.languages): Lang => pickLanguage(wanted, preferred);
