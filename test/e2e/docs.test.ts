import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { createApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { createKeyRing } from '../../server/src/crypto/secretbox.js';
import type { Db } from '../../server/src/db/index.js';
import { createLogger } from '../../server/src/logger.js';
import { launchChromium } from '../helpers/browser.js';

// /docs under its Content-Security-Policy (test/security/docs-csp.test.ts checks the headers):
// the API reference still renders in a real browser, nothing it loads is blocked, and a page of
// another origin cannot frame it.

/** The summary of POST /api/v1/auth/{resourceId}/password (auth/routes.ts), in the group shown open. */
const SUMMARY = 'Check the password of a user assigned to the resource';

describe('/docs in Chromium', () => {
  let server: ServerType;
  let origin: string;
  let browser: Browser;
  before(async () => {
    const config = loadConfig({ DATABASE_URL: 'pglite://memory', LOG_LEVEL: 'silent' });
    // /docs and the OpenAPI document never touch the database.
    const app = createApp({ config, db: {} as Db, log: createLogger('silent'), keyRing: createKeyRing(randomBytes(32)) });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  it('renders the API reference with nothing it needs blocked', async () => {
    const page = await browser.newPage();
    // Injected by the browser's tooling, so the page's own policy does not apply to it.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (globalThis as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(`${origin}/docs`);
    // An operation drawn by the bundle from the OpenAPI document.
    await page.getByText(SUMMARY).first().waitFor({ timeout: 30_000 });
    // The one expected report: the bundle's zod probes whether eval is allowed (`Function('')` in
    // a try) and, refused, validates without generated code. Nothing else may be blocked.
    const violations = await page.evaluate(() => (globalThis as unknown as { cspViolations: string[] }).cspViolations);
    assert.deepEqual(
      violations.filter((v) => v !== 'script-src eval'),
      [],
    );
    await page.close();
  });

  it('is not shown inside a frame of another origin', async () => {
    const page = await browser.newPage();
    const refused = page.waitForEvent('console', { predicate: (m) => /frame-ancestors 'none'/.test(m.text()), timeout: 30_000 });
    await page.setContent(`<iframe src="${origin}/docs" width="800" height="600"></iframe>`);
    assert.match((await refused).text(), /violates .*frame-ancestors 'none'.*blocked/);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    assert.ok(!(await frame?.content().catch(() => ''))?.includes('Veriframe API'));
    await page.close();
  });
});
