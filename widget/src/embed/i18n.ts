// The loader's only visible text is the iframe title (announced by screen readers before the
// frame's own content), so it carries a tiny table instead of the frame's catalogues.
import { widgetLanguages, type WidgetLanguage } from '../../../shared/protocol.js';

export const titles: Record<WidgetLanguage, string> = {
  en: 'Secure sign-in',
  fr: 'Connexion sécurisée',
  de: 'Sichere Anmeldung',
  es: 'Inicio de sesión seguro',
  ru: 'Безопасный вход',
  uk: 'Безпечний вхід',
};

/** `auto` → the browser's language when there is a catalogue for it, else English. */
export function resolveLang(lang: string): WidgetLanguage {
  const wanted = lang === 'auto' ? (navigator.language || '').slice(0, 2).toLowerCase() : lang;
  return (widgetLanguages as readonly string[]).includes(wanted) ? (wanted as WidgetLanguage) : 'en';
}
