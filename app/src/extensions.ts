// Where optional parts of the app plug in without the core importing them (the push tokens of
// app/src/push/ are built by another part of the project): URI schemes the QR/URI dispatcher hands
// over, and elements shown on the home screen. main.ts wires app/src/push/ in when it exists.

/** A handler may say how it went, in words for the user (the dispatcher shows it). */
export type UriResult = { ok: boolean; message: string };
export type UriHandler = (uri: string) => void | UriResult | Promise<void | UriResult>;

const uriHandlers = new Map<string, UriHandler>();
const homeSlots: string[] = [];
const settingsSlots: string[] = [];

/** `scheme` with its colon, e.g. 'vfpush:'. */
export function registerUriHandler(scheme: string, handler: UriHandler): void {
  uriHandlers.set(scheme.toLowerCase(), handler);
}

export function uriHandler(uri: string): UriHandler | undefined {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(uri.trim())?.[0].toLowerCase();
  return scheme ? uriHandlers.get(scheme) : undefined;
}

/** A custom element (already defined) shown on the home screen above the tokens. */
export function registerHomeSlot(tagName: string): void {
  if (!homeSlots.includes(tagName)) homeSlots.push(tagName);
}

export const homeSlotTags = (): readonly string[] => homeSlots;

/** A custom element (already defined) shown in the settings, below the app's own sections. */
export function registerSettingsSlot(tagName: string): void {
  if (!settingsSlots.includes(tagName)) settingsSlots.push(tagName);
}

export const settingsSlotTags = (): readonly string[] => settingsSlots;
