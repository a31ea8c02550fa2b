import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { ServerType } from '@hono/node-server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { enrolPushToken } from '../helpers/authenticator-page.js';
import { closeServer } from '../../server/src/main.js';
import { listenTestApp, type TestApp } from '../helpers/app.js';
import { adminCalls } from '../helpers/auth.js';
import { ensureWidgetBuilt, launchChromium } from '../helpers/browser.js';
import { openTestDb, type TestDb } from '../helpers/db.js';

// The self-service portal's own sign-in with a push token, in real Chromium (issue 19): the
// authenticator app in one browser context holds the push token; the portal in another waits
// after the password and goes home by itself when the app approves, and says in words why not
// when the app denies or nobody answers in time, with a button to start again. The server's
// clock is moved (not waited for) to let a request expire.

const WAIT = 30_000;
const PASSWORD = 'correct horse battery staple';
const PIN = '482915';
const ADDRESS = 'e2e-push';
const INTRO = 'Open your authenticator app and approve this sign-in.';
// Evaluated through the DevTools protocol: the page's CSP forbids adding a script tag.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string }[] }> } }).axe;
    return (await axe.run()).violations.map((v) => v.id);
  });
}

describe('self-service portal sign-in approved in the authenticator app, in Chromium', { timeout: 240_000 }, () => {
  let t: TestDb;
  let api: TestApp;
  let server: ServerType;
  let B: string;
  let browser: Browser;
  let token: { id: string; pushUri: string };
  let app: Page;
  const login = 'portal-push-e2e';
  const contexts: BrowserContext[] = [];
  const clock = { offsetMs: 0 };

  before(async () => {
    ensureWidgetBuilt();
    t = await openTestDb('pglite');
    ({ api, server, url: B } = await listenTestApp(t, { now: () => new Date(Date.now() + clock.offsetMs) }));
    const admin = adminCalls(api);
    browser = await launchChromium();
    const resource = await admin.resource({ name: 'Push shop', selfService: { enabled: true, address: ADDRESS } });
    const user = await admin.user({ login, password: PASSWORD });
    token = (await admin.token({ kind: 'software', type: 'push' })) as unknown as { id: string; pushUri: string };
    await admin.pair(resource.id, user.id, token.id);
    app = await newPage();
  });

  after(async () => {
    await Promise.allSettled(contexts.map((c) => c.close()));
    await browser?.close();
    await Promise.allSettled([server && closeServer(server, 1000)]);
    await t?.close();
  });

  async function newPage(opts: { width?: number } = {}): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: opts.width ?? 1000, height: 800 } });
    contexts.push(context);
    context.setDefaultTimeout(WAIT);
    return context.newPage();
  }

  /** The portal after login and password, waiting for the app. */
  async function portalAtPushStep(opts: { width?: number } = {}): Promise<Page> {
    const page = await newPage(opts);
    await page.goto(`${B}/self-service/${ADDRESS}`);
    await page.getByLabel('Login', { exact: true }).fill(login);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText(INTRO).waitFor();
    return page;
  }

  const request = () => app.getByText(`Sign in to Push shop as ${login}?`);

  it('the app creates its vault and enrols the push token from its link', async () => {
    await enrolPushToken(app, B, token.pushUri, PIN);
    await app.getByRole('button', { name: 'Tokens', exact: true }).click();
    await app.getByRole('heading', { name: 'Sign-in requests' }).waitFor();
  });

  it('waits after the password (axe-clean, light and dark, 320 px) and goes home when the app approves', async () => {
    const page = await portalAtPushStep({ width: 320 });
    await page.getByText('Waiting for your approval…').waitFor();
    assert.equal(await page.getByLabel('One-time code').count(), 0, 'no code to type for a push token');
    assert.equal(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.id), 'push-intro', 'the focus is on what to do');
    assert.deepEqual(await axeViolations(page), [], 'axe, light');
    await page.getByRole('button', { name: 'Dark' }).click();
    assert.deepEqual(await axeViolations(page), [], 'axe, dark');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320), 'no sideways scrolling at 320 px');
    await request().waitFor();
    await app.getByRole('button', { name: 'Approve' }).click();
    await app.getByText('Approved: the sign-in continues.').waitFor();
    await page.getByRole('heading', { name: 'Your token' }).waitFor();
    await page.getByText(INTRO).waitFor({ state: 'detached' });
    const events = await api.call('GET', `/api/v1/events?tokenId=${token.id}&type=auth.success`);
    assert.deepEqual(
      (events.body.items as { actor: string }[]).map((e) => e.actor),
      ['portal'],
    );
  });

  it('says so in words when the app denies, counts it, and starts again with a new request', async () => {
    const page = await portalAtPushStep();
    await request().waitFor();
    await app.getByRole('button', { name: 'Deny' }).click();
    await app.getByText('Denied: the sign-in was refused.').waitFor();
    await page.getByRole('alert').getByText('The sign-in was denied in the authenticator app. Start again to send a new request.').waitFor();
    assert.equal((await api.call('GET', `/api/v1/tokens/${token.id}`)).body.failedAttempts, 1);
    // Keyboard only: the focus is on "Start again"; Enter goes back to the login.
    const again = page.getByRole('button', { name: 'Start again' });
    await again.waitFor();
    assert.ok(await again.evaluate((b) => b.matches(':focus')), 'the focus is on Start again');
    await page.keyboard.press('Enter');
    await page.getByLabel('Login', { exact: true }).waitFor();
    assert.equal(await page.getByRole('alert').textContent(), '', 'the message goes with the restart');
  });

  it('says so when nobody answers in time, and the request leaves the app', async () => {
    const page = await portalAtPushStep();
    await request().waitFor();
    clock.offsetMs += 2 * 60_000 + 1_000;
    await page.getByText('Nobody approved the sign-in in time. Start again to send a new request.').waitFor();
    await page.getByRole('button', { name: 'Start again' }).waitFor();
    await request().waitFor({ state: 'detached' });
    const failures = await api.call('GET', `/api/v1/events?tokenId=${token.id}&type=auth.failure`);
    assert.deepEqual(
      (failures.body.items as { reason: string; actor: string }[]).map((e) => [e.actor, e.reason]),
      [
        ['portal', 'expired_challenge'],
        ['portal', 'push_denied'],
      ],
    );
  });
});
