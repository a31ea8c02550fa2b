// Validation of render options (DESIGN.md §7.1). A wrong option is named in the console and
// ignored, so a typo degrades to the default instead of silently breaking a login page; only a
// missing or malformed resource/nonce stops the render (the server and the iframe would refuse
// them anyway, and the site owner needs to know why nothing appears).
import { widgetLanguages, type WidgetErrorCode, type WidgetLanguage } from '../../../shared/protocol.js';
import { stylePatterns, type StyleOption } from '../../../shared/style.js';

export interface RenderOptions {
  resource: string;
  nonce: string;
  lang?: 'auto' | WidgetLanguage;
  theme?: 'light' | 'dark' | 'auto';
  size?: 'normal' | 'compact';
  /** Brand colour: #rgb, #rrggbb, #rrggbbaa, rgb(…) or hsl(…). */
  accent?: string;
  /** Corner radius: 0 or a length in px, em, rem or %. */
  radius?: string;
  /** A font-family list, e.g. `Inter, "Noto Sans", sans-serif`. */
  font?: string;
  onSuccess?: (token: string) => void;
  onError?: (code: WidgetErrorCode) => void;
  onExpire?: () => void;
}

/** Options after validation: defaults filled in, callbacks only when they are functions. */
export type CheckedOptions = Required<Pick<RenderOptions, 'resource' | 'nonce' | 'lang' | 'theme' | 'size'>> &
  Pick<RenderOptions, StyleOption | 'onSuccess' | 'onError' | 'onExpire'>;

export const report = (message: string) => console.error('veriframe: ' + message);

// The same shape the protocol's hello accepts for instance and nonce, so a nonce the iframe
// would refuse is reported here, by name, instead of as a silent dead widget.
const ID = /^[\w-]{1,128}$/;
const choices: Record<string, readonly string[]> = {
  lang: ['auto', ...widgetLanguages],
  theme: ['light', 'dark', 'auto'],
  size: ['normal', 'compact'],
};
// Checked against the same patterns as the server's (shared/style.ts), which refuses the page
// for a bad one: reported and left out here, the widget still renders with the default look.
const styleWhy: Record<StyleOption, string> = {
  accent: 'a CSS colour (#rgb, #rrggbb, #rrggbbaa, rgb() or hsl())',
  radius: 'a CSS length (0, 8px, 0.5rem)',
  font: 'a font-family list (letters, digits, spaces, commas, quotes, hyphens)',
};

/** The usable options, or null when resource or nonce is missing/malformed (reported). */
export function checkOptions(options: unknown): CheckedOptions | null {
  const out: Record<string, unknown> = { lang: 'auto', theme: 'auto', size: 'normal' };
  const given = (typeof options === 'object' && options) || {};
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const allowed = choices[key];
    const why =
      key === 'resource' || key === 'nonce'
        ? typeof value === 'string' && ID.test(value)
          ? ''
          : 'must be 1-128 letters, digits, "-" or "_"'
        : allowed
          ? allowed.includes(value as string)
            ? ''
            : 'must be one of ' + allowed.join(', ')
          : key in styleWhy
            ? typeof value === 'string' && stylePatterns[key as StyleOption].test(value)
              ? ''
              : 'must be ' + styleWhy[key as StyleOption]
            : /^on(Success|Error|Expire)$/.test(key)
              ? typeof value === 'function'
                ? ''
                : 'must be a function'
              : 'is unknown';
    if (why) report(`option "${key}" ${why}; ignored`);
    else out[key] = value;
  }
  for (const key of ['resource', 'nonce']) {
    if (!out[key]) {
      report(`option "${key}" is required; widget not rendered`);
      return null;
    }
  }
  return out as CheckedOptions;
}
