import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Scalar } from '@scalar/hono-api-reference';
import { Hono } from 'hono';

// The API reference page works offline: the Scalar bundle is served from our own node_modules
// instead of a CDN (self-hosted servers often have no outbound internet), and no web fonts are
// fetched from elsewhere.
// The package exports neither its browser bundle nor its package.json: the bundle is found
// beside its main entry (dist/index.js).
const bundlePath = path.join(path.dirname(createRequire(import.meta.url).resolve('@scalar/api-reference')), 'browser/standalone.js');

export function docsRoutes(specUrl: string) {
  const app = new Hono();
  let bundle: Promise<Buffer> | undefined;
  app.get('/docs/scalar.js', async (c) => {
    bundle ??= readFile(bundlePath);
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(new Uint8Array(await bundle), 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });
  app.get('/docs', Scalar({ url: specUrl, cdn: '/docs/scalar.js', withDefaultFonts: false, pageTitle: 'Veriframe API' }));
  return app;
}
