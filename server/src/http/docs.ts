import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Scalar } from '@scalar/hono-api-reference';
import { Hono } from 'hono';
import { BUILD_DIR } from '../paths.js';

// The API reference page works offline: the Scalar bundle is served from this server instead of
// a CDN (self-hosted servers often have no outbound internet), and no web fonts are fetched from
// elsewhere. `npm run build` copies the bundle to dist/docs/scalar.js, so an install from the
// package (where @scalar/* are devDependencies, 190 MB) needs no Scalar package at all; in a
// checkout without a build it is read from node_modules. The page's HTML comes from
// @scalar/hono-api-reference, which the server bundle includes (scripts/build.mjs).
export const DOCS_BUNDLE = path.join(BUILD_DIR, 'docs', 'scalar.js');

async function readBundle(): Promise<Buffer> {
  const built = await readFile(DOCS_BUNDLE).catch(() => undefined);
  if (built) return built;
  // The package exports neither its browser bundle nor its package.json: the bundle is found
  // beside its main entry (dist/index.js).
  const main = createRequire(import.meta.url).resolve('@scalar/api-reference');
  return readFile(path.join(path.dirname(main), 'browser/standalone.js'));
}

// The page may run our own bundle and the one inline script Scalar writes to start it, by its
// hash (taken from the page itself, so a Scalar upgrade that changes the script cannot break it
// or widen the policy); it may talk to this origin only (the OpenAPI document, "try it" requests)
// and may not be framed, so no other site can overlay it. Styles: Scalar injects <style>
// elements at run time, which only 'unsafe-inline' allows; styles cannot run code. No
// 'unsafe-eval': the bundle only probes for it (zod) and works without (test/e2e/docs.test.ts).
function docsCsp(html: string): string {
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`,
  );
  return [
    "default-src 'none'",
    `script-src 'self' ${inline.join(' ')}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function docsRoutes(specUrl: string) {
  const app = new Hono();
  let bundle: Promise<Buffer> | undefined;
  app.get('/docs/scalar.js', async (c) => {
    // Read once; a failed read (no build, no Scalar package) is tried again on the next request.
    bundle ??= readBundle().catch((err: unknown) => {
      bundle = undefined;
      throw err;
    });
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(new Uint8Array(await bundle), 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });
  let csp: string | undefined;
  app.get('/docs', async (c, next) => {
    await next();
    // The page is the same on every request: its policy is computed once.
    csp ??= docsCsp(await c.res.clone().text());
    c.header('Content-Security-Policy', csp);
    c.header('X-Frame-Options', 'DENY');
  });
  app.get('/docs', Scalar({ url: specUrl, cdn: '/docs/scalar.js', withDefaultFonts: false, pageTitle: 'Veriframe API' }));
  return app;
}
