import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerType } from '@hono/node-server';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { closeServer } from '../../server/src/main.js';
import { listenTestApp, type TestApp } from '../helpers/app.js';
import { ensureWidgetBuilt, launchChromium, startHostSite } from '../helpers/browser.js';
import { adminCalls } from '../helpers/auth.js';
import { codeFor, enrolledAdmin, type ConsoleAdmin } from '../helpers/console.js';
import { openTestDb, type TestDb } from '../helpers/db.js';

// The admin console in real Chromium (DESIGN §11): sign-in through the widget with password +
// TOTP, the Create wizard completed with a code from the QR's secret, an import with a bad line,
// an 8 h bypass from the list, and a call without the CSRF header refused.

const WAIT = 30_000;
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core on the whole page (open shadow roots included); the violations' ids and targets. */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const r = await axe.run(document);
    return r.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
}

/** The widget on the console's sign-in page: login, password, then the TOTP code. */
async function signInThroughWidget(page: Page, base: string, a: ConsoleAdmin) {
  await page.goto(`${base}/console/`);
  const frame = page.frameLocator('vf-sign-in iframe');
  await frame.getByLabel('Login', { exact: true }).fill(a.login);
  await frame.getByLabel('Password', { exact: true }).fill(a.password);
  await frame.getByRole('button', { name: 'Continue' }).click();
  const code = frame.getByLabel('One-time code', { exact: true });
  await code.waitFor();
  await code.fill(codeFor(a.secret, new Date()));
  await frame.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('link', { name: 'Tokens' }).waitFor();
}

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
    // The CSP would refuse the injected axe-core script; the console's own CSP is checked by
    // the server tests.
    page = await (await browser.newContext({ bypassCSP: true })).newPage();
    page.setDefaultTimeout(WAIT);
  });

  after(async () => {
    await browser?.close();
    await (server && closeServer(server, 1000));
    await t?.close();
  });

  it('signs in through the widget with password and TOTP', async () => {
    await signInThroughWidget(page, B, boss);
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

  it('runs every Token Info action', async () => {
    await page.getByRole('link', { name: 'Wizard phone' }).click();
    await page.getByRole('heading', { name: 'Token Wizard phone' }).waitFor();
    const actions = page.locator('[data-section="actions"]');
    const token = await t.db.selectFrom('tokens').select('id').where('name', '=', 'Wizard phone').executeTakeFirstOrThrow();
    const secret = async () => {
      const row = await t.db.selectFrom('tokens').selectAll().where('id', '=', token.id).executeTakeFirstOrThrow();
      const { openSecret } = await import('../../server/src/tokens/secrets.js');
      const { base32Encode } = await import('../../server/src/otp/index.js');
      return base32Encode(openSecret(api.keyRing, row));
    };
    const now = Date.now();
    await actions.getByLabel('Check OTP').fill(codeFor(await secret(), new Date(now)));
    await actions.getByRole('button', { name: 'Check OTP' }).click();
    await actions.getByText('The code is valid.').waitFor();

    await actions.getByLabel('First code').fill(codeFor(await secret(), new Date(now + 120_000)));
    await actions.getByLabel('Next code').fill(codeFor(await secret(), new Date(now + 150_000)));
    await actions.getByRole('button', { name: 'Synchronize' }).click();
    await actions.getByText('Synchronized.').waitFor();

    const before = await secret();
    page.once('dialog', (d) => void d.accept());
    await actions.getByRole('button', { name: 'Reissue' }).click();
    await actions.getByText(/New secret issued/).waitFor();
    assert.notEqual(await secret(), before, 'a new secret');
    assert.equal(await actions.getByRole('img', { name: 'QR code of the new token' }).count(), 1);

    await actions.getByRole('button', { name: /^Active:/ }).click();
    await actions.getByRole('button', { name: 'Deactivate' }).click();
    await actions.getByRole('button', { name: /^Active: Off/ }).waitFor();

    await page.locator('[data-section="user"]').getByLabel('Create a user and assign').fill('wizard-owner');
    await page.locator('[data-section="user"]').getByRole('button', { name: 'Create' }).click();
    await page.locator('[data-section="user"]').getByText('wizard-owner').waitFor();

    assert.deepEqual(await axeViolations(page), [], 'axe on Token Info');

    await actions.getByRole('button', { name: 'Delete token' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Yes' }).click();
    await page.getByRole('heading', { name: 'Tokens' }).waitFor();
    assert.equal((await t.db.selectFrom('tokens').select('id').where('id', '=', token.id).execute()).length, 0);
  });

  it('passes axe on every page', async () => {
    for (const [link, heading] of [
      ['Dashboard', 'Dashboard'],
      ['Tokens', 'Tokens'],
      ['Users', 'Users'],
      ['Resources', 'Resources'],
      ['Filters', 'Filters'],
      ['Events', 'Events'],
      ['Administrators', 'Administrators'],
    ]) {
      await page.getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      if (link === 'Events') await page.getByText(/Audit chain intact/).waitFor();
      assert.deepEqual(await axeViolations(page), [], `axe on ${link}`);
    }
  });

  it('creates an IP filter on the Filters page and shows the API error next to the form', async () => {
    await adminCalls(api).resource({ name: 'Filter shop' });
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await page.getByRole('link', { name: 'Filters', exact: true }).click();
    // Not the console's own resource: an allow-list there would lock the administrators out too.
    await page.getByLabel('Resource', { exact: true }).selectOption({ label: 'Filter shop' });
    await page.getByLabel('Values (one per line)').fill('not-an-ip');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /not an IPv4\/IPv6 address/ })
      .waitFor();
    await page.getByLabel('Values (one per line)').fill('203.0.113.0/24');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('cell', { name: 'allow 203.0.113.0/24' }).waitFor();
  });

  it('the session cookie does not work from another origin', async () => {
    const pages = new Map([['/', '<!doctype html><title>other</title>']]);
    const other = await startHostSite(pages);
    try {
      await page.goto(other.origin + '/');
      const outcome = await page.evaluate(async (b) => {
        try {
          const res = await fetch(`${b}/api/v1/admins/me`, { credentials: 'include' });
          return `status ${res.status}`;
        } catch {
          return 'blocked';
        }
      }, B);
      assert.equal(outcome, 'blocked', 'no CORS for other origins: the answer is unreadable');
      const sent = await page.evaluate(async (b) => {
        await fetch(`${b}/console/api/session`, { method: 'DELETE', credentials: 'include', mode: 'no-cors' }).catch(() => undefined);
        return true;
      }, B);
      assert.ok(sent);
      await page.goto(`${B}/console/`);
      await page.getByRole('link', { name: 'Tokens' }).waitFor();
      const me = await page.evaluate(async () => (await fetch('/console/api/session')).status);
      assert.equal(me, 200, 'a cross-site sign-out attempt did not end the session (SameSite=Strict, Origin check)');
    } finally {
      await other.close();
    }
  });

  it("opens a user's page with its lock state and passes axe", async () => {
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('link', { name: 'wizard-owner' }).click();
    await page.getByRole('heading', { name: 'User wizard-owner' }).waitFor();
    await page.getByText('Not locked.').waitFor();
    assert.deepEqual(await axeViolations(page), [], 'axe on the user page');
  });

  it('creates an API key shown once, lists the keys and revokes one', async () => {
    await page.getByRole('link', { name: 'Administrators', exact: true }).click();
    const row = page.getByRole('row', { name: /boss/ });
    await row.getByRole('button', { name: 'New API key' }).click();
    const key = (await page.locator('p[role="status"] code').textContent())!;
    assert.match(key, /^vf_/);
    await row.getByRole('button', { name: 'API keys' }).click();
    const keys = page.getByRole('region', { name: 'API keys of boss' });
    page.once('dialog', (d) => void d.accept());
    await keys.getByRole('button', { name: 'Revoke' }).first().click();
    await keys.getByText('revoked').waitFor();
    assert.equal((await fetch(`${B}/api/v1/admins/me`, { headers: { authorization: `Bearer ${key}` } })).status, 401);
    assert.deepEqual(await axeViolations(page), [], 'axe with the key list');
  });

  it('is usable at 360 px: no page is wider than the screen', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    try {
      for (const link of ['Dashboard', 'Tokens', 'Users', 'Resources', 'Filters', 'Events', 'Administrators']) {
        await page.getByRole('link', { name: link, exact: true }).click();
        await page.getByRole('heading', { name: link, exact: true }).waitFor();
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        // A string, not a function: tsx would wrap a named inner function in a helper the page lacks.
        const widest = await page.evaluate(`(() => {
          const out = [];
          const walk = (root) => {
            for (const el of root.querySelectorAll('*')) {
              if (el.getBoundingClientRect().right > 360 && !el.closest('.scroll')) out.push(el.tagName + '.' + el.className + '#' + el.id);
              if (el.shadowRoot) walk(el.shadowRoot);
            }
          };
          walk(document);
          return out.slice(0, 5).join(' ');
        })()`);
        assert.ok(width <= 360, `${link} is ${width} px wide: ${widest}`);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
    }
  });

  it('shows copy-ready embed snippets for a resource', async () => {
    await page.getByRole('link', { name: 'Resources', exact: true }).click();
    await page
      .getByRole('row', { name: /Filter shop/ })
      .getByRole('button', { name: 'Embed' })
      .click();
    await page.getByRole('heading', { name: 'For the page' }).waitFor();
    assert.match((await page.locator('pre code').first().textContent())!, /data-resource="[0-9a-f-]{36}"/);
    assert.deepEqual(await axeViolations(page), [], 'axe on the Embed tab');
  });

  it('shows a resource administrator only its resources', async () => {
    const admin = adminCalls(api);
    const mine = await admin.resource({ name: 'RA shop' });
    await admin.resource({ name: 'Someone else' });
    const ra = await enrolledAdmin(t, api, { login: 'ra', role: 'admin', resourceIds: [mine.id], now: new Date(Date.now() - 60_000) });
    const other = await (await browser.newContext()).newPage();
    other.setDefaultTimeout(WAIT);
    await signInThroughWidget(other, B, ra);
    await other.getByRole('link', { name: 'Resources' }).click();
    await other.getByRole('cell', { name: 'RA shop', exact: true }).waitFor();
    assert.equal(await other.getByRole('cell', { name: 'Someone else' }).count(), 0);
    assert.equal(await other.getByRole('cell', { name: 'Veriframe console' }).count(), 0);
    await other.context().close();
  });

  it('an expired session goes back to the sign-in', async () => {
    await t.db
      .updateTable('console_sessions')
      .set({ lastSeenAt: new Date(Date.now() - 16 * 60_000) })
      .execute();
    await page.getByRole('link', { name: 'Tokens' }).click();
    await page.frameLocator('vf-sign-in iframe').getByLabel('Login', { exact: true }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/console/api/session')).status);
    assert.equal(status, 401);
  });
});
