import { createHash } from 'node:crypto';
import { escapeHtml, scriptJson } from '../widget/page.js';

// The HTML of GET /self-service/{address}: a fixed template whose only variable parts are JSON
// data (escaped for a <script> element) and HTML-escaped text; the app (portal.js, built with
// the widget's bundles) draws everything.

export const PORTAL_SCRIPT = '/widget/assets/portal.js';
const PAGE_STYLE = 'html,body{margin:0;padding:0}body{background:#fff}@media (prefers-color-scheme:dark){body{background:#0d1117}}';
const hashSource = (css: string) => `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;

/**
 * CSP of the portal page: scripts, styles, images and requests from our origin only (Lit's
 * styles are constructable stylesheets; the page's one inline style is allowed by its hash),
 * no plugins, no base or form targets, and it may not be framed anywhere (clickjacking).
 */
export const PORTAL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  `style-src 'self' ${hashSource(PAGE_STYLE)}`,
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function portalPage(config: { address: string; resourceName: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(config.resourceName)}</title>
<style>${PAGE_STYLE}</style>
<script type="application/json" id="vf-portal-config">${scriptJson(config)}</script>
<script type="module" src="${PORTAL_SCRIPT}"></script>
</head>
<body></body>
</html>
`;
}
