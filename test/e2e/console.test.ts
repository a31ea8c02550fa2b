import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { closeServer } from '../../server/src/main.js';
import { listenTestApp, type TestApp } from '../helpers/app.js';
import { ensureWidgetBuilt, launchChromium } from '../helpers/browser.js';
import { codeFor, enrolledAdmin, type ConsoleAdmin } from '../helpers/console.js';
import { openTestDb, type TestDb } from '../helpers/db.js';

// The admin console in real Chromium (DESIGN §11): sign-in through the widget with password +
// TOTP, the Create wizard completed with a code from the QR's secret, an import with a bad line,
// an 8 h bypass from the list, and a call without the CSRF header refused.

const WAIT = 30_000;

describe('admin console end to end in Chromium', { timeout: 240_000 }, () => {
  let t: TestDb;
  let api: TestApp;
  let server: ServerType;
  let B: string;
  let browser: Browser;
  let page: Page;
  let boss: ConsoleAdmin;

  before(async () => {
    ensureWidgetBuilt();
    t = await openTestDb('pglite');
    ({ api, server, url: B } = await listenTestApp(t));
    // Enrolled a minute ago, so the code of the current step has not been spent by the enrolment.
    boss = await enrolledAdmin(t, api, { login: 'boss', now: new Date(Date.now() - 60_000) });
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(WAIT);
  });

  after(async () => {
    await browser?.close();
    await (server && closeServer(server, 1000));
    await t?.close();
  });

  it('signs in through the widget with password and TOTP', async () => {
    await page.goto(`${B}/console/`);
    const frame = page.frameLocator('vf-sign-in iframe');
    await frame.getByLabel('Login', { exact: true }).fill(boss.login);
    await frame.getByLabel('Password', { exact: true }).fill(boss.password);
    await frame.getByRole('button', { name: 'Continue' }).click();
    const code = frame.getByLabel('One-time code', { exact: true });
    await code.waitFor();
    await code.fill(codeFor(boss.secret, new Date()));
    await frame.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('link', { name: 'Tokens' }).waitFor();
    const cookies = await page.context().cookies();
    const c = cookies.find((x) => x.name === 'vf_console');
    assert.ok(c?.httpOnly, 'HttpOnly session cookie');
    assert.equal(c?.sameSite, 'Strict');
  });

  it('refuses an /api/v1 call with the cookie but without the CSRF header', async () => {
    const status = await page.evaluate(async () => (await fetch('/api/v1/tokens')).status);
    assert.equal(status, 403);
  });

  it('creates a software token in the wizard and completes it with a code from its secret', async () => {
    await page.getByRole('link', { name: 'Tokens' }).click();
    await page.getByRole('button', { name: 'Add tokens' }).click();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const wizard = page.getByRole('region', { name: 'Create a token' });
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByLabel('Name', { exact: true }).fill('Wizard phone');
    await wizard.getByRole('button', { name: 'Next' }).click();
    const secret = await page.locator('code[data-secret]').textContent();
    const pending = await t.db.selectFrom('tokens').select('active').where('name', '=', 'Wizard phone').executeTakeFirstOrThrow();
    assert.equal(pending.active, false, 'not usable before it is confirmed');
    await page.getByLabel('One-time password').fill(codeFor(secret!, new Date()));
    await page.getByRole('button', { name: 'Complete' }).click();
    await page.getByText('Token Wizard phone is ready.').waitFor();
    await wizard.getByRole('button', { name: 'Close' }).click();
    const done = await t.db.selectFrom('tokens').select('active').where('name', '=', 'Wizard phone').executeTakeFirstOrThrow();
    assert.equal(done.active, true);
  });

  it('sets an 8 h bypass from the list', async () => {
    const row = page.locator('tr', { hasText: 'Wizard phone' });
    await row.getByRole('button', { name: /^Active:/ }).click();
    await row.getByRole('button', { name: 'Bypass 8 h' }).click();
    await row.getByRole('button', { name: /bypass until/ }).waitFor();
    const token = await t.db.selectFrom('tokens').select('bypassUntil').where('name', '=', 'Wizard phone').executeTakeFirstOrThrow();
    const hours = (token.bypassUntil!.getTime() - Date.now()) / 3600_000;
    assert.ok(hours > 7.9 && hours <= 8, `bypass of ${hours} h`);
  });

  it('imports a CSV and shows the bad line with its number, importing nothing', async () => {
    await page.getByRole('button', { name: 'Add tokens' }).click();
    await page.getByRole('button', { name: 'Import CSV' }).click();
    const csv = 'serialNumber,secret\nHW-1,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\nHW-2,not-base32!\n';
    await page.getByLabel('CSV file').setInputFiles({ name: 'tokens.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText(/^Line 3: secret is not valid base32/).waitFor();
    assert.equal((await t.db.selectFrom('tokens').select('id').where('serialNumber', '=', 'HW-1').execute()).length, 0);
  });
});
