import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../server/src/config.js';
import { createDelivery } from '../../server/src/delivery/index.js';
import { createLogger } from '../../server/src/logger.js';
import { closeServer } from '../../server/src/main.js';
import { listenTestApp, type TestApp } from '../helpers/app.js';
import { adminCalls } from '../helpers/auth.js';
import { ensureWidgetBuilt, launchChromium } from '../helpers/browser.js';
import { codeFor, enrolledAdmin, type ConsoleAdmin } from '../helpers/console.js';
import { openTestDb, type TestDb } from '../helpers/db.js';
import { mailText, startSmtp } from '../helpers/smtp.js';

// The console in real Chromium, the parts of issue 15 added after the first version: a
// resource's Self-service tab (keyboard only), an e-mail token confirmed in the Create wizard
// by the code sent over real SMTP to the chosen user, the resource picker of Token Resources,
// and another administrator's console login offered no edit.

const WAIT = 30_000;
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const r = await axe.run(document);
    return r.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
}

async function signIn(page: Page, base: string, a: ConsoleAdmin) {
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

/** Tab until the element that has focus (inside shadow roots too) matches, as a keyboard user would. */
async function tabTo(page: Page, accessibleText: RegExp, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const text = await page.evaluate(() => {
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      const label = el?.id ? el.getRootNode() instanceof ShadowRoot && (el.getRootNode() as ShadowRoot).querySelector(`label[for="${el.id}"]`) : null;
      return `${el?.getAttribute('aria-label') ?? ''} ${label ? label.textContent : ''} ${el?.closest('label')?.textContent ?? ''} ${el?.tagName === 'BUTTON' || el?.tagName === 'A' ? el.textContent : ''}`;
    });
    if (accessibleText.test(text)) return;
  }
  throw new Error(`no focusable element matching ${accessibleText} within ${max} tabs`);
}

describe('admin console settings end to end in Chromium', { timeout: 240_000 }, () => {
  let t: TestDb;
  let api: TestApp;
  let server: ServerType;
  let B: string;
  let browser: Browser;
  let page: Page;
  let boss: ConsoleAdmin;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  before(async () => {
    ensureWidgetBuilt();
    t = await openTestDb('pglite');
    smtp = await startSmtp();
    const delivery = createDelivery(loadConfig({ SMTP_URL: smtp.url, LOG_LEVEL: 'silent' }), createLogger('silent'));
    ({ api, server, url: B } = await listenTestApp(t, { delivery }));
    boss = await enrolledAdmin(t, api, { login: 'boss', now: new Date(Date.now() - 60_000) });
    browser = await launchChromium();
    page = await (await browser.newContext({ bypassCSP: true })).newPage();
    page.setDefaultTimeout(WAIT);
    await signIn(page, B, boss);
  });

  after(async () => {
    await browser?.close();
    await (server && closeServer(server, 1000));
    await smtp?.close();
    await t?.close();
  });

  it("sets a resource's self-service settings with the keyboard only: address, All toggles, enrolment types", async () => {
    const admin = adminCalls(api);
    const shop = await admin.resource({ name: 'Portal shop' });
    const other = await admin.resource({ name: 'Other portal' });
    await admin.call('PATCH', `/api/v1/resources/${other.id}`, { selfService: { address: 'taken-one' } }, 200);
    await page.getByRole('link', { name: 'Resources', exact: true }).click();
    const row = page.getByRole('row', { name: /Portal shop/ });
    await row.getByRole('button', { name: 'Embed' }).focus();
    await page.keyboard.press('Enter');
    // Arrow keys move between the tabs (WAI-ARIA tabs), Enter was enough to open the panel.
    await page.getByRole('tab', { name: 'Embed' }).waitFor();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('tab', { name: 'Self-service', selected: true }).waitFor();

    const address = page.getByLabel('Portal address');
    await tabTo(page, /Portal address/);
    await page.keyboard.type('Not valid!');
    await tabTo(page, /^\s*Save\s*$/);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'The address is 3 to 40 characters' }).waitFor();
    assert.equal(await address.getAttribute('aria-invalid'), 'true');

    await address.fill('');
    await address.focus();
    await page.keyboard.type('taken-one');
    await tabTo(page, /^\s*Save\s*$/);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Another resource uses this self-service address.' }).waitFor();

    await address.fill('');
    await address.focus();
    await page.keyboard.type('portal-shop');
    await page.getByLabel('Portal enabled').focus();
    await page.keyboard.press('Space');
    await page.getByLabel('All: Token', { exact: true }).focus();
    await page.keyboard.press('Space');
    assert.equal(await page.getByLabel('Synchronize their token').isChecked(), true, 'All sets every token action');
    await page.getByLabel('Change the password').focus();
    await page.keyboard.press('Space');
    assert.equal(await page.getByLabel('All: User').evaluate((el) => (el as HTMLInputElement).indeterminate), true, 'some on: mixed');
    await page.getByLabel('E-mail', { exact: true }).focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Authenticator app (TOTP)').focus();
    await page.keyboard.press('Space');
    await page.getByLabel(/Offer enrolment during sign-in/).focus();
    await page.keyboard.press('Space');
    await tabTo(page, /^\s*Save\s*$/);
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: 'Self-service settings saved.' })
      .waitFor()
      .catch(async (err) => {
        throw new Error(`${err}: ${(await page.getByRole('alert').allTextContents()).join(' | ')}`);
      });
    const link = page.locator('a[data-portal-url]');
    assert.equal(await link.textContent(), `${B}/self-service/portal-shop`);

    const saved = await admin.call<{ selfService: Record<string, unknown>; enrollOnLogin: boolean }>('GET', `/api/v1/resources/${shop.id}`, undefined, 200);
    assert.deepEqual(saved.selfService, {
      enabled: true,
      address: 'portal-shop',
      allowedActions: {
        token: { enroll: true, reissue: true, assignExisting: true, unassign: true, synchronize: true, setPin: true, removePin: true },
        user: { createPassword: false, changePassword: true, changeEmail: false, changePhone: false, changeLogin: false, changeNames: false },
      },
      enrollmentTypes: ['totp', 'email'],
    });
    assert.equal(saved.enrollOnLogin, true);
    assert.deepEqual(await axeViolations(page), [], 'axe on the Self-service tab');

    await page.getByLabel('All: Token', { exact: true }).focus();
    await page.keyboard.press('Space');
    assert.equal(await page.getByLabel('Enrol a token').isChecked(), false, 'All off clears the group');

    await page.setViewportSize({ width: 360, height: 740 });
    try {
      await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 360, 'the tab fits 360 px');
      assert.deepEqual(await axeViolations(page), [], 'axe on the Self-service tab, dark, 360 px');
    } finally {
      await page.evaluate(() => delete document.documentElement.dataset.theme);
      await page.setViewportSize({ width: 1280, height: 720 });
    }
  });

  it("opens a resource's filters from its row", async () => {
    await page.getByRole('link', { name: 'Filters of Portal shop' }).click();
    await page.getByRole('heading', { name: 'Filters', exact: true }).waitFor();
    const chosen = page.getByLabel('Resource', { exact: true });
    await page.waitForFunction(() => new URLSearchParams(location.search).has('resource'));
    await chosen.locator('option:checked', { hasText: 'Portal shop' }).waitFor({ state: 'attached' });
    assert.equal(await chosen.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent), 'Portal shop');
  });

  it('creates an e-mail token in the wizard and completes it with the code sent to the chosen user', async () => {
    const admin = adminCalls(api);
    await admin.user({ login: 'nomail' });
    await admin.user({ login: 'mia', email: 'mia@example.test' });
    await page.getByRole('link', { name: 'Tokens', exact: true }).click();
    await page.getByRole('button', { name: 'Add tokens' }).click();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const wizard = page.getByRole('region', { name: 'Create a token' });
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByLabel('Type', { exact: true }).selectOption('email');
    await wizard.getByLabel('Name', { exact: true }).fill('Mia mail');
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByRole('alert').filter({ hasText: 'Choose the user the token is for' }).waitFor();

    await wizard.getByLabel('Find User').fill('nomail');
    await wizard.getByLabel('Find User').press('Enter');
    await wizard.getByLabel('User', { exact: true }).selectOption({ label: 'nomail' });
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByRole('alert').filter({ hasText: 'The user nomail has no e-mail address' }).waitFor();
    assert.equal((await t.db.selectFrom('tokens').select('id').where('name', '=', 'Mia mail').execute()).length, 0, 'nothing created yet');

    await wizard.getByLabel('Find User').fill('mia');
    await wizard.getByRole('button', { name: 'Search' }).click();
    await wizard.getByLabel('User', { exact: true }).selectOption({ label: 'mia · mia@example.test' });
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByText('A code was sent to m…@example.test.').waitFor();
    const pending = await t.db.selectFrom('tokens').select(['active', 'userId']).where('name', '=', 'Mia mail').executeTakeFirstOrThrow();
    assert.equal(pending.active, false, 'not usable before it is confirmed');
    assert.ok(pending.userId);
    const mail = smtp.received.at(-1)!;
    assert.deepEqual(mail.to, ['mia@example.test']);
    const code = /confirmation code is (\d+)/.exec(mailText(mail.raw))![1]!;

    await wizard.getByLabel('One-time password').fill(code === '000000' ? '111111' : '000000');
    await wizard.getByRole('button', { name: 'Complete' }).click();
    await wizard.getByRole('alert').filter({ hasText: 'The code is not the one sent' }).waitFor();
    await wizard.getByLabel('One-time password').fill(code);
    await wizard.getByRole('button', { name: 'Complete' }).click();
    await wizard.getByText('Token Mia mail is ready.').waitFor();
    const done = await t.db.selectFrom('tokens').select('active').where('name', '=', 'Mia mail').executeTakeFirstOrThrow();
    assert.equal(done.active, true);
    assert.deepEqual(await axeViolations(page), [], 'axe on the wizard');
    await wizard.getByRole('button', { name: 'Close' }).click();
  });

  it('assigns the token to a resource chosen by searching, not by typing its id', async () => {
    await adminCalls(api).resource({ name: 'Picker shop' });
    await page.getByRole('link', { name: 'Mia mail' }).click();
    const section = page.locator('[data-section="resources"]');
    await section.getByLabel('Find Resource').fill('Picker');
    await section.getByLabel('Find Resource').press('Enter');
    await section.getByRole('button', { name: 'Assign to resource' }).click();
    await section.getByRole('alert').filter({ hasText: 'Choose a resource first' }).waitFor();
    await section.getByLabel('Resource', { exact: true }).selectOption({ label: 'Picker shop' });
    await section.getByRole('button', { name: 'Assign to resource' }).click();
    await section.getByRole('listitem').filter({ hasText: 'Picker shop' }).waitFor();

    const user = page.locator('[data-section="user"]');
    await user.getByRole('button', { name: 'Unlink' }).click();
    await user.getByText('Not assigned').waitFor();
    await user.getByRole('button', { name: 'Link to an existing user' }).click();
    await user.getByRole('alert').filter({ hasText: 'Choose a user first' }).waitFor();
    await user.getByLabel('Find User login').fill('mia@');
    await user.getByLabel('Find User login').press('Enter');
    await user.getByLabel('User login', { exact: true }).selectOption({ label: 'mia' });
    await user.getByRole('button', { name: 'Link to an existing user' }).click();
    await user.locator('b', { hasText: 'mia' }).waitFor();
    const owner = await t.db
      .selectFrom('tokens as t')
      .innerJoin('users as u', 'u.id', 't.userId')
      .select('u.login')
      .where('t.name', '=', 'Mia mail')
      .executeTakeFirstOrThrow();
    assert.equal(owner.login, 'mia');
    assert.deepEqual(await axeViolations(page), [], 'axe on Token Info with the pickers');
  });

  it('filters events by resource', async () => {
    await page.getByRole('link', { name: 'Events', exact: true }).click();
    await page.getByRole('cell', { name: 'token.created' }).first().waitFor();
    await page.getByLabel('Resource', { exact: true }).selectOption({ label: 'Picker shop' });
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('cell', { name: 'token.created' }).first().waitFor({ state: 'detached' });
    const shop = await t.db.selectFrom('resources').select('id').where('name', '=', 'Picker shop').executeTakeFirstOrThrow();
    const expected = await t.db.selectFrom('events').select('type').where('resourceId', '=', shop.id).orderBy('id', 'desc').execute();
    assert.ok(expected.length >= 2);
    const shown = await page.locator('vf-page-events tbody tr td:nth-child(2)').allTextContents();
    assert.deepEqual(
      shown,
      expected.map((e) => e.type),
      "exactly the resource's events",
    );
  });

  it('creates a resource administrator whose resources are chosen by name', async () => {
    await page.getByRole('link', { name: 'Administrators', exact: true }).click();
    await page.getByLabel('Name', { exact: true }).fill('Picker admin');
    await page.getByLabel('Role').selectOption('admin');
    await page
      .getByRole('group', { name: /Resources it manages/ })
      .getByLabel('Picker shop')
      .check();
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.getByRole('cell', { name: 'Picker admin' }).waitFor();
    const rows = await t.db
      .selectFrom('admin_resources as ar')
      .innerJoin('admins as a', 'a.id', 'ar.adminId')
      .innerJoin('resources as r', 'r.id', 'ar.resourceId')
      .select('r.name')
      .where('a.name', '=', 'Picker admin')
      .execute();
    assert.deepEqual(
      rows.map((r) => r.name),
      ['Picker shop'],
    );
  });

  it("offers no edit of another administrator's console login", async () => {
    const colleague = await enrolledAdmin(t, api, { login: 'colleague', now: new Date(Date.now() - 60_000) });
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    const row = page.getByRole('row', { name: /colleague/ });
    await row.getByText("Another administrator's console sign-in").waitFor();
    assert.equal(await row.getByRole('button', { name: 'Set password' }).count(), 0);
    assert.equal(await row.getByRole('button', { name: 'Delete' }).count(), 0);
    assert.equal(await page.getByRole('row', { name: /mia/ }).getByRole('button', { name: 'Set password' }).count(), 1, 'other users keep it');
    await row.getByRole('link', { name: 'colleague' }).click();
    await page.locator('[data-protected]').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Save' }).count(), 0);
    const status = await page.evaluate(async (id) => {
      const csrf = (await (await fetch('/console/api/session')).json()).csrf as string;
      const res = await fetch(`/api/v1/users/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-veriframe-csrf': csrf },
        body: JSON.stringify({ password: 'boss-chose-this-password' }),
      });
      return `${res.status} ${(await res.json()).error.code}`;
    }, colleague.userId);
    assert.equal(status, '403 sign_in_protected', 'and the server refuses it');
  });
});
