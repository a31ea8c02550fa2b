import { Hono } from 'hono';
import { html } from 'hono/html';

// The demo relying-party site lives on its own origin so the widget is tested cross-origin, as a
// real site would embed it. Its content arrives with the demo issue; this page says so.
export function createDemoApp(opts: { veriframeUrl: string }) {
  const app = new Hono();
  app.get('/', (c) =>
    c.html(html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Veriframe demo</title>
  </head>
  <body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
    <h1>Veriframe demo site</h1>
    <p>The demo shop with its test users (password + TOTP, e-mail codes, hardware tokens, OCRA, bypass, lockout) is coming soon.</p>
    <p>The Veriframe server is running at <a href="${opts.veriframeUrl}/healthz">${opts.veriframeUrl}</a>; its API is described at
      <a href="${opts.veriframeUrl}/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
  </body>
</html>`),
  );
  app.notFound((c) => c.text('Not found', 404));
  return app;
}
