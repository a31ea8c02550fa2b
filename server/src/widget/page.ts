import { createHash } from 'node:crypto';
import { FRAME_CONFIG_ID, type FrameConfig } from '../../../shared/protocol.js';

// The HTML documents of GET /widget/{resourceId}: the iframe page that loads the app, and the
// refusal page. Both are fixed templates; the only variable parts are validated values, JSON
// with every character that could end the <script> element escaped, and HTML-escaped text.

export const FRAME_SCRIPT = '/widget/assets/frame.js';

// The page's only inline style. Allowed by its hash rather than 'unsafe-inline', so injected
// markup could not bring styles of its own (CSS can leak text through attribute selectors).
const PAGE_STYLE = 'html,body{margin:0;padding:0;background:transparent}';
const REFUSAL_STYLE = 'body{margin:0;padding:1rem;font:14px/1.4 system-ui,sans-serif;color:#1f2328}h1{font-size:1rem;margin:0 0 .5rem}p{margin:0}';
const hashSource = (css: string) => `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;

/**
 * CSP of the iframe page (DESIGN §7.2). Scripts only from our origin (no inline script, no
 * eval: the config is JSON data, not code); fetches only to our origin; Lit's styles are
 * constructable stylesheets, which CSP does not govern, so no 'unsafe-inline'. `frame-ancestors`
 * names exactly the one parent origin the server validated, never '*' or a list, so only
 * that site can frame the page (clickjacking).
 */
export function frameCsp(parentOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' ${hashSource(PAGE_STYLE)}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${parentOrigin}`,
  ].join('; ');
}

/** A refusal may not be framed at all: no site can show it, or anything else, in its page. */
export const REFUSAL_CSP = [
  "default-src 'none'",
  `style-src ${hashSource(REFUSAL_STYLE)}`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * JSON that is safe inside <script type="application/json">: `<` cannot start `</script>` or
 * `<!--`, and U+2028/U+2029 are escaped for older parsers. JSON.parse reads it unchanged.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The iframe page: the config as JSON data and the app as a module script; the app builds the UI. */
export function framePage(config: FrameConfig): string {
  const lang = config.lang === 'auto' ? 'en' : config.lang;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in</title>
<style>${PAGE_STYLE}</style>
<script type="application/json" id="${FRAME_CONFIG_ID}">${scriptJson(config)}</script>
<script type="module" src="${FRAME_SCRIPT}"></script>
</head>
<body>
<noscript>This sign-in needs JavaScript.</noscript>
</body>
</html>
`;
}

/** A small page that says why the widget is not shown; it carries no app and no config. */
export function refusalPage(title: string, text: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${REFUSAL_STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(text)}</p>
</body>
</html>
`;
}
