import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Frame, type Locator } from 'playwright-core';
import { DIST_DIR, PROJECT_ROOT } from '../../server/src/widget/assets.js';
import { CHROMIUM_FLAGS, chromiumExecutable } from './chromium.mjs';

// Real Chromium for the end-to-end tests (playwright-core, which downloads no browser; see
// chromium.mjs for which executable), and a tiny "customer site" to embed the widget in.

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumExecutable(), args: CHROMIUM_FLAGS });
}

/**
 * Makes sure dist/widget holds the bundles, building them once with Vite when embed.js is
 * missing (the server's in-memory development build covers frame.js, but /embed.js is served
 * only from a build on disk).
 */
export function ensureWidgetBuilt(): void {
  if (existsSync(path.join(DIST_DIR, 'embed.js')) && existsSync(path.join(DIST_DIR, 'frame.js'))) return;
  execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export interface HostSite {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

/**
 * A site on 127.0.0.1 that serves the HTML in `pages` by path (no CSP, no cookies), and 404
 * otherwise. Several sites can share one map to serve the same pages from different origins.
 */
export async function startHostSite(pages: Map<string, string>): Promise<HostSite> {
  const server = http.createServer((req, res) => {
    const html = pages.get(new URL(req.url ?? '/', 'http://x').pathname);
    res.writeHead(html === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html ?? 'not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The document inside an iframe element (it is out-of-process when cross-origin; Playwright still reaches it). */
export async function contentFrame(iframe: Locator): Promise<Frame> {
  const handle = await iframe.elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('the iframe has no document');
  return frame;
}

/**
 * The iframe's height once the loader applied the height the app last reported for its
 * current content: waits until the `<iframe>`'s height equals the measured height of the
 * `vf-app` element inside (both change while the page settles, so both are read again).
 */
export async function settledFrameHeight(iframe: Locator, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = await contentFrame(iframe);
    const inner = await frame.evaluate(() => {
      const app = document.querySelector('vf-app');
      return app ? Math.min(4000, Math.ceil(app.getBoundingClientRect().height)) : -1;
    });
    const outer = await iframe.evaluate((el) => (el as HTMLElement).style.height);
    if (inner > 0 && outer === `${inner}px`) return inner;
    if (Date.now() > deadline) throw new Error(`the iframe height (${outer}) never matched its content (${inner}px)`);
    // Heights change when the frame renders: look again after its next frame.
    await frame.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  }
}
