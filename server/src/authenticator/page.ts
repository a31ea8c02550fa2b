import type { Hono } from 'hono';
import { serveBundleScript, type BundleAssets } from '../http/bundle-assets.js';
import { ICON_PNG_SIZES, ICON_SVG, iconPng } from './icon.js';

// The authenticator app's page, its web app manifest, icon, service worker and bundles. Strict
// CSP: scripts, workers and connections to our origin only; images from us, data: (QR codes) and
// blob: (a picked QR image); the camera stream needs no source; nobody may frame the app (a
// framed authenticator could be clickjacked into showing or copying codes).
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="theme-color" content="#0a5cc2">
<link rel="manifest" href="/app/manifest.webmanifest">
<link rel="icon" href="/app/icon.svg" type="image/svg+xml">
<link rel="apple-touch-icon" href="/app/icon-192.png">
<title>Veriframe Authenticator</title>
<script type="module" src="/app/assets/app.js"></script>
</head>
<body>
<vf-authenticator></vf-authenticator>
<noscript>The Veriframe Authenticator needs JavaScript.</noscript>
</body>
</html>`;

export const APP_MANIFEST = {
  name: 'Veriframe Authenticator',
  short_name: 'Veriframe',
  description: 'One-time codes (TOTP, HOTP, OCRA) kept encrypted on this device.',
  id: '/app/',
  start_url: '/app/',
  scope: '/app/',
  display: 'standalone',
  background_color: '#ffffff',
  theme_color: '#0a5cc2',
  // Installing wants bitmaps of 192 and 512 px; the drawing is full-bleed with everything inside
  // the safe zone, so the same bitmaps serve as maskable icons.
  icons: [
    { src: '/app/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    ...ICON_PNG_SIZES.flatMap((size) =>
      (['any', 'maskable'] as const).map((purpose) => ({ src: `/app/icon-${size}.png`, sizes: `${size}x${size}`, type: 'image/png', purpose })),
    ),
  ],
};

export function mountAppPages(app: Hono<any>, assets: BundleAssets) {
  app.get('/app', (c) => c.redirect('/app/', 301));
  app.get('/app/', (c) => {
    c.header('Content-Security-Policy', APP_CSP);
    c.header('X-Frame-Options', 'DENY');
    c.header('Cache-Control', 'no-cache');
    c.header('Referrer-Policy', 'no-referrer');
    // The camera is the only powerful feature the app uses (QR scanning), on its own origin.
    c.header('Permissions-Policy', 'camera=(self), microphone=(), geolocation=()');
    return c.html(page);
  });
  app.get('/app/manifest.webmanifest', (c) => {
    c.header('Content-Type', 'application/manifest+json');
    c.header('Cache-Control', 'no-cache');
    return c.body(JSON.stringify(APP_MANIFEST));
  });
  app.get('/app/icon.svg', (c) => {
    c.header('Content-Type', 'image/svg+xml');
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(ICON_SVG);
  });
  for (const size of ICON_PNG_SIZES) {
    app.get(`/app/icon-${size}.png`, (c) => {
      c.header('Content-Type', 'image/png');
      c.header('Cache-Control', 'public, max-age=86400');
      return c.body(new Uint8Array(iconPng(size)));
    });
  }
  // At /app/sw.js, not under /app/assets/, so its default scope is the whole app.
  app.get('/app/sw.js', (c) => serveBundleScript(c, assets, 'sw.js'));
  app.get('/app/assets/*', (c) => serveBundleScript(c, assets, c.req.path.slice('/app/assets/'.length)));
}
