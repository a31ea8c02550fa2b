// The iframe page's configuration: JSON the server wrote into <script type="application/json"
// id="vf-config"> after validating the resource and the parent origin. The app trusts nothing
// else on the page, and re-checks the shape here so a broken page fails closed.
import { FRAME_CONFIG_ID, widgetLanguages, type FrameConfig } from '../../../shared/protocol.js';
import { colourPattern, fontPattern, lengthPattern } from '../../../shared/style.js';

/** Custom properties a site may set (through loader options → server → this config). */
export const styleVars = [
  '--vf-accent',
  '--vf-on-accent',
  '--vf-radius',
  '--vf-font',
  '--vf-text',
  '--vf-bg',
  '--vf-muted',
  '--vf-border',
  '--vf-error',
] as const;
export type StyleVar = (typeof styleVars)[number];

export interface AppConfig extends FrameConfig {
  /** Optional: brand colours, radius and font, as CSS values. */
  style?: Partial<Record<StyleVar, string>>;
  /** Optional: 'compact' tightens the spacing. */
  size?: 'normal' | 'compact';
}

const isObject = (d: unknown): d is Record<string, unknown> => typeof d === 'object' && d !== null && !Array.isArray(d);
const isId = (s: unknown): s is string => typeof s === 'string' && /^[A-Za-z0-9_-]{1,128}$/.test(s);
const oneOf = <T extends string>(v: unknown, list: readonly T[], fallback: T): T => (list.includes(v as T) ? (v as T) : fallback);

function isOrigin(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  try {
    const origin = new URL(s).origin;
    return origin === s && origin !== 'null';
  } catch {
    return false;
  }
}

// Each property's value must match the pattern the server validated it with (shared/style.ts):
// colours, lengths and font lists only, so no url(), no ; { } that could reach other properties.
const safeValue = (name: StyleVar, v: unknown): v is string =>
  typeof v === 'string' && (name === '--vf-radius' ? lengthPattern : name === '--vf-font' ? fontPattern : colourPattern).test(v);

/** A usable config, or null when a field the security checks rely on is missing or malformed. */
export function parseConfig(data: unknown): AppConfig | null {
  if (!isObject(data) || !isId(data.resourceId) || !isId(data.instance) || !isOrigin(data.parentOrigin)) return null;
  const config: AppConfig = {
    resourceId: data.resourceId,
    parentOrigin: data.parentOrigin,
    instance: data.instance,
    lang: oneOf(data.lang, [...widgetLanguages, 'auto'], 'auto'),
    theme: oneOf(data.theme, ['light', 'dark', 'auto'], 'auto'),
    authMethod: oneOf(data.authMethod, ['password', 'otp', 'password+otp'], 'password+otp'),
    resourceName: typeof data.resourceName === 'string' ? data.resourceName.slice(0, 200) : '',
    size: oneOf(data.size, ['normal', 'compact'] as const, 'normal'),
  };
  if (isObject(data.style)) {
    config.style = {};
    for (const name of styleVars) {
      const value = data.style[name];
      if (safeValue(name, value)) config.style[name] = value;
    }
  }
  return config;
}

export function readConfig(doc: Document = document): AppConfig | null {
  const el = doc.getElementById(FRAME_CONFIG_ID);
  if (!(el instanceof HTMLScriptElement) || el.type !== 'application/json') return null;
  try {
    return parseConfig(JSON.parse(el.textContent ?? ''));
  } catch {
    return null;
  }
}
