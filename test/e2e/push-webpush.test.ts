import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { ServerType } from '@hono/node-server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { enrolPushToken } from '../helpers/authenticator-page.js';
import webpush from 'web-push';
import { closeServer } from '../../server/src/main.js';
import { listenTestApp, type TestApp } from '../helpers/app.js';
import { adminCalls, authCalls } from '../helpers/auth.js';
import { launchChromium } from '../helpers/browser.js';
import { openTestDb, type TestDb } from '../helpers/db.js';

// Web Push in real Chromium (issue 19, DESIGN §13 "Web Push when configured"). The server has
// VAPID keys; headless Chromium here has no push service (no network), so subscribing fails:
// the app must say so quietly in its settings and still get sign-in requests by server-sent
// events. The service worker's own part — a push message becomes a notification — is driven
// through the DevTools protocol, which delivers a push message as a push service would.

const WAIT = 30_000;
const PIN = '482915';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: { id: string }[] }> } }).axe;
    return (await axe.run(document)).violations.map((v) => v.id);
  });
}

describe('Web Push in Chromium (app)', { timeout: 240_000 }, () => {
  let t: TestDb;
  let api: TestApp;
  let veriframe: ServerType;
  let B: string;
  let browser: Browser;
  let context: BrowserContext;
  let app: Page;
  let auth: ReturnType<typeof authCalls>;
  let token: { id: string; pushUri: string };
  const login = 'webpush-e2e';
  const vapid = webpush.generateVAPIDKeys();

  before(async () => {
    t = await openTestDb('pglite');
    ({
      api,
      server: veriframe,
      url: B,
    } = await listenTestApp(t, {
      env: { VERIFRAME_VAPID_PUBLIC_KEY: vapid.publicKey, VERIFRAME_VAPID_PRIVATE_KEY: vapid.privateKey, VERIFRAME_VAPID_SUBJECT: 'mailto:ops@example.com' },
    }));
    const admin = adminCalls(api);
    const resource = await admin.resource({ name: 'Shop' });
    auth = authCalls(api, resource);
    const user = await admin.user({ login, password: 'pw-pw-pw-pw' });
    token = (await admin.token({ kind: 'software', type: 'push' })) as unknown as { id: string; pushUri: string };
    await admin.pair(resource.id, user.id, token.id);
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'en-US' });
    context.setDefaultTimeout(WAIT);
    app = await context.newPage();
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    if (veriframe) await closeServer(veriframe, 1000);
    await t?.close();
  });

  const subscriptions = async () => (await t.db.selectFrom('push_subscriptions').select('tokenId').where('tokenId', '=', token.id).execute()).length;

  it('enrols a push token; the settings offer notifications, and say quietly that they could not be turned on', async () => {
    await enrolPushToken(app, B, token.pushUri, PIN);
    await app.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));

    await app.getByRole('button', { name: 'Settings', exact: true }).click();
    await app.getByRole('heading', { name: 'Notifications' }).waitFor();
    // Not asked yet: off, with the offer to turn them on.
    await app.getByText('Off: sign-in requests arrive while the app is open.').waitFor();
    await app.getByRole('button', { name: 'Turn on notifications' }).waitFor();
    await context.grantPermissions(['notifications'], { origin: B });
    await app.getByRole('button', { name: 'Tokens', exact: true }).click();
    await app.getByRole('button', { name: 'Settings', exact: true }).click();
    await app.getByRole('heading', { name: 'Notifications' }).waitFor();
    // Allowed now: the inbox (re)registering in the background tried to subscribe; there is no
    // push service, so the settings say so in their status line and offer to try again.
    const failed = app.getByText('Notifications could not be turned on (no push service was reached): sign-in requests arrive while the app is open.');
    await failed.waitFor();
    const errors: string[] = [];
    app.on('pageerror', (e) => errors.push(e.message));
    await app.getByRole('button', { name: 'Try again' }).click();
    await app.getByRole('button', { name: 'Try again' }).waitFor();
    await failed.waitFor();
    assert.deepEqual(errors, [], 'no uncaught error');
    assert.equal(await app.getByRole('alert').count(), 0, 'said in a status line, not an alert');
    assert.equal(await subscriptions(), 0);
    for (const colorScheme of ['light', 'dark'] as const) {
      await app.emulateMedia({ colorScheme });
      assert.deepEqual(await axeViolations(app), [], `axe, ${colorScheme}`);
    }
  });

  it('still gets the sign-in request by server-sent events, and the approval completes the sign-in', async () => {
    await app.getByRole('button', { name: 'Tokens', exact: true }).click();
    await app.getByRole('heading', { name: 'Sign-in requests' }).waitFor();
    const prepared = await auth('prepare', { login, ip: '81.2.69.142', userAgent: 'Firefox/130' });
    assert.equal(prepared.status, 200, JSON.stringify(prepared.body));
    const challenge = (prepared.body as { push?: { challenge: string } }).push!.challenge;
    await app.getByText(`Sign in to Shop as ${login}?`).waitFor();
    await app.getByRole('button', { name: 'Approve' }).click();
    await app.getByText('Approved: the sign-in continues.').waitFor();
    const status = await auth('push-status', { login, challenge });
    assert.equal(status.body.result, true, JSON.stringify(status.body));
  });

  it('opened at a challenge (as the notification opens it), the app brings that request into view', async () => {
    const prepared = await auth('prepare', { login, ip: '81.2.69.142', userAgent: 'Firefox/130' });
    const challenge = (prepared.body as { push?: { challenge: string } }).push!.challenge;
    // As the worker's openWindow does: a fresh load of the app at the challenge.
    await app.goto('about:blank');
    await app.goto(`${B}/app/#challenge=${challenge}`);
    await app.getByLabel('PIN', { exact: true }).fill(PIN);
    await app.getByRole('button', { name: 'Unlock' }).click();
    await app.getByText(`Sign in to Shop as ${login}?`).waitFor();
    await app.waitForFunction(
      (id) => {
        const inbox = document.querySelector('vf-authenticator')?.shadowRoot?.querySelector('vf-token-list')?.shadowRoot?.querySelector('vf-push-inbox');
        return inbox?.shadowRoot?.activeElement?.getAttribute('data-id') === id && location.hash === '';
      },
      challenge,
      { polling: 100 },
    );
  });
});
