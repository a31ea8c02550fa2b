// The app's preferences (not secret, so kept in plain IndexedDB beside the vault).
import { getMeta, setMeta } from './db.js';

export type Theme = 'system' | 'light' | 'dark';
export type Settings = {
  lang: string | null;
  theme: Theme;
  /** Codes show as dots until tapped. */
  hideCodes: boolean;
  /** Server clock minus this device's clock, from the last time correction (ms). */
  timeOffsetMs: number;
  /** The server backup this device keeps up to date, if any. */
  serverBackup?: { id: string; writeKey: string; updatedAt: string };
};

export const defaults: Settings = { lang: null, theme: 'system', hideCodes: false, timeOffsetMs: 0 };
export const settingsEvents = new EventTarget();
let cached: Settings | undefined;

export async function loadSettings(): Promise<Settings> {
  return (cached ??= { ...defaults, ...((await getMeta<Partial<Settings>>('settings')) ?? {}) });
}

export async function updateSettings(patch: Partial<Settings>): Promise<Settings> {
  cached = { ...(await loadSettings()), ...patch };
  await setMeta('settings', cached);
  settingsEvents.dispatchEvent(new Event('change'));
  return cached;
}

/** This device's clock corrected by the last time correction. */
export const correctedNow = (): number => Date.now() + (cached?.timeOffsetMs ?? 0);
