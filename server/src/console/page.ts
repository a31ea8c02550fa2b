import type { Context, Hono } from 'hono';
import { serveBundleScript } from '../http/bundle-assets.js';
import type { ConsoleAssets } from './assets.js';

// The console's one HTML page (every path under /console/ except the API and the bundles) and
// its bundles. Strict CSP: scripts and connections to our origin only, no inline script or
// style (Lit uses constructable stylesheets), the widget's iframe from our origin, the QR codes
// as data: images, and nobody may frame the console.
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const page = (body: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="data:,">
<title>Veriframe console</title>
<script type="module" src="/console/assets/console.js"></script>
</head>
<body>
${body}
<noscript>The Veriframe console needs JavaScript.</noscript>
</body>
</html>`;

export function mountConsolePages(app: Hono<any>, assets: ConsoleAssets) {
  const html = (c: Context, body: string) => {
    c.header('Content-Security-Policy', CONSOLE_CSP);
    c.header('X-Frame-Options', 'DENY');
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(page(body));
  };
  app.get('/console', (c) => c.redirect('/console/', 301));
  app.get('/console/assets/*', (c) => serveBundleScript(c, assets, c.req.path.slice('/console/assets/'.length)));
  app.get('/console/enrol', (c) => html(c, '<vf-enrol></vf-enrol>'));
  app.get('/console/*', (c) => {
    if (c.req.path.startsWith('/console/api/')) return c.notFound();
    return html(c, '<vf-console-app></vf-console-app>');
  });
}
