import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { ServerType } from '@hono/node-server';
import { decodeJwt } from 'jose';
import type { Browser, BrowserContext, Frame, FrameLocator, Page } from 'playwright-core';
import { enrolPushToken } from '../helpers/authenticator-page.js';
import { closeServer } from '../../server/src/main.js';
import { listenTestApp, type TestApp } from '../helpers/app.js';
import { adminCalls } from '../helpers/auth.js';
import { ensureWidgetBuilt, launchChromium, startHostSite, type HostSite } from '../helpers/browser.js';
import { openTestDb, type TestDb } from '../helpers/db.js';

// Push tokens end to end in real Chromium (issue 19, DESIGN §13): the authenticator app in one
// browser context enrols a push token from its link and keeps the inbox open; a site in another
// context signs in through the widget, which moves on by itself when the app approves, and says
// so when the app denies or nobody answers in time. The server's clock is moved (not waited for)
// to let a request expire.

const WAIT = 30_000;
const PASSWORD = 'correct horse battery staple';
const PIN = '482915';
// Evaluated through the DevTools protocol: the pages' CSP forbids adding a script tag.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations (ids) in a page or frame, open shadow roots included. */
async function axeViolations(target: Page | Frame, selector?: string): Promise<string[]> {
  if (!(await target.evaluate(() => 'axe' in window))) await target.evaluate(AXE);
  return target.evaluate(async (sel) => {
    const axe = (window as unknown as { axe: { run(ctx: Document | string): Promise<{ violations: { id: string }[] }> } }).axe;
    return (await axe.run(sel ?? document)).violations.map((v) => v.id);
  }, selector);
}

describe('push tokens end to end in Chromium (app and widget)', { timeout: 240_000 }, () => {
  let t: TestDb;
  let api: TestApp;
  let admin: ReturnType<typeof adminCalls>;
  let veriframe: ServerType;
  let B: string;
  let site: HostSite;
  let browser: Browser;
  let resource: { id: string; secret: string };
  let token: { id: string; pushUri: string };
  let app: Page;
  const login = 'push-e2e';
  const pages = new Map<string, string>();
  const contexts: BrowserContext[] = [];
  const clock = { offsetMs: 0 };

  before(async () => {
    ensureWidgetBuilt();
    t = await openTestDb('pglite');
    ({ api, server: veriframe, url: B } = await listenTestApp(t, { now: () => new Date(Date.now() + clock.offsetMs) }));
    admin = adminCalls(api);
    [site, browser] = await Promise.all([startHostSite(pages), launchChromium()]);
    resource = await admin.resource({ name: 'Shop', allowedOrigins: [site.origin], authMethod: 'password+otp' });
    const user = await admin.user({ login, password: PASSWORD });
    token = (await admin.token({ kind: 'software', type: 'push' })) as unknown as { id: string; pushUri: string };
    await admin.pair(resource.id, user.id, token.id);
    app = await newPage();
  });

  after(async () => {
    await Promise.allSettled(contexts.map((c) => c.close()));
    await browser?.close();
    await Promise.allSettled([site?.close(), veriframe && closeServer(veriframe, 1000)]);
    await t?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-US' });
    contexts.push(context);
    context.setDefaultTimeout(WAIT);
    return context.newPage();
  }

  /** The shop's login page with one widget; resolves at the push step. */
  async function widgetAtPushStep(nonce: string): Promise<{ page: Page; frame: FrameLocator }> {
    pages.set(
      `/${nonce}`,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script>window.calls = []; window.onOk = function (t) { window.calls.push(t); };</script></head>
<body><form id="f"><div class="veriframe" data-resource="${resource.id}" data-nonce="${nonce}" data-callback="onOk"></div></form>
<script src="${B}/embed.js" async></script></body></html>`,
    );
    const page = await newPage();
    await page.goto(`${site.origin}/${nonce}`);
    const frame = page.frameLocator('#f iframe');
    await frame.getByLabel('Login', { exact: true }).fill(login);
    await frame.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await frame.getByRole('button', { name: 'Continue' }).click();
    await frame.getByText('Open your authenticator app and approve this sign-in.').waitFor();
    return { page, frame };
  }

  const request = () => app.getByText(`Sign in to Shop as ${login}?`);

  it('the app creates its vault, enrols the push token from its link once, and refuses the link again', async () => {
    await enrolPushToken(app, B, token.pushUri, PIN);
    const link = app.getByLabel('Token link (otpauth://…)');
    // The key is in IndexedDB as a CryptoKey that cannot be exported.
    const extractable = await app.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('veriframe-authenticator');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const rows = await new Promise<{ kind: string; cryptoKeys?: Record<string, CryptoKey> }[]>((resolve) => {
        const r = db.transaction('records').objectStore('records').getAll();
        r.onsuccess = () => resolve(r.result);
      });
      const key = rows.find((row) => row.kind === 'push')?.cryptoKeys?.signing;
      return key ? { extractable: key.extractable, type: key.type, curve: (key.algorithm as EcKeyAlgorithm).namedCurve } : null;
    });
    assert.deepEqual(extractable, { extractable: false, type: 'private', curve: 'P-256' });
    const device = await api.call('GET', `/api/v1/tokens/${token.id}`);
    assert.equal(device.status, 200);

    await link.fill(token.pushUri);
    await app.getByRole('button', { name: 'Add from link' }).click();
    await app.getByText('This QR code was used already; ask for a new one.').waitFor();
    await app.getByRole('button', { name: 'Tokens', exact: true }).click();
    await app.getByRole('heading', { name: 'Sign-in requests' }).waitFor();
  });

  it('a widget sign-in completes when the app approves; the same approval sent again, or forged, is refused', async () => {
    const answers: { url: string; body: string }[] = [];
    app.on('request', (r) => {
      if (r.url().includes('/app/api/push/challenges/')) answers.push({ url: r.url(), body: r.postData() ?? '' });
    });
    const { page, frame } = await widgetAtPushStep('nonce-push-approve');
    await request().waitFor();
    await app.getByText('From 127.0.0.1').first().waitFor();
    // Both UIs while waiting: axe-clean, light and dark; the inbox fits 320 px.
    const widgetFrame = page.frames().find((f) => f.url().startsWith(`${B}/widget/`))!;
    // The iframe's document is the widget alone: no landmarks of a page to check there.
    assert.deepEqual(await axeViolations(widgetFrame, 'vf-app'), []);
    for (const colorScheme of ['light', 'dark'] as const) {
      await app.emulateMedia({ colorScheme });
      assert.deepEqual(await axeViolations(app), [], `axe, ${colorScheme}`);
    }
    await app.setViewportSize({ width: 320, height: 640 });
    assert.ok(await app.evaluate(() => document.documentElement.scrollWidth <= 320), 'no sideways scrolling at 320 px');
    // Keyboard only: Tab reaches Approve, Enter presses it.
    const approve = app.getByRole('button', { name: 'Approve' });
    for (let i = 0; i < 30 && !(await approve.evaluate((b) => b.matches(':focus'))); i++) await app.keyboard.press('Tab');
    await app.keyboard.press('Enter');
    await app.getByText('Approved: the sign-in continues.').waitFor();
    await frame.getByText('Signed in').waitFor();
    await page.waitForFunction(() => (window as unknown as { calls: string[] }).calls.length === 1);
    const jwt = await page.evaluate(() => (window as unknown as { calls: string[] }).calls[0]!);
    const claims = decodeJwt(jwt);
    assert.equal(claims.login, login);
    assert.deepEqual(claims.amr, ['pwd', 'otp']);

    assert.equal(answers.length, 1);
    const { url, body } = answers[0]!;
    const replay = await app.evaluate(
      async ([u, b]) => (await fetch(u!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b })).status,
      [url, body],
    );
    assert.equal(replay, 409, 'a replayed approval is refused');
    const forged = JSON.stringify({ ...JSON.parse(body), decision: 'deny' });
    const refused = await app.evaluate(
      async ([u, b]) => {
        const res = await fetch(u!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b });
        return { status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code };
      },
      [url, forged],
    );
    assert.deepEqual(refused, { status: 403, code: 'push_signature_invalid' });
  });

  it('the widget says so when the app denies, and the denial counts as a failed attempt', async () => {
    const { frame } = await widgetAtPushStep('nonce-push-deny');
    await request().waitFor();
    await app.getByRole('button', { name: 'Deny' }).click();
    await app.getByText('Denied: the sign-in was refused.').waitFor();
    await frame.getByText('The sign-in was denied in the authenticator app.').waitFor();
    await frame.getByRole('button', { name: 'Try again' }).waitFor();
    const after = await api.call('GET', `/api/v1/tokens/${token.id}`);
    assert.equal(after.body.failedAttempts, 1);
  });

  it('the widget says so when nobody answers in time (a failed attempt), and the request leaves the app', async () => {
    const { frame } = await widgetAtPushStep('nonce-push-timeout');
    await request().waitFor();
    clock.offsetMs += 2 * 60_000 + 1_000;
    await frame.getByText('Nobody approved the sign-in in time. Start again to send a new request.').waitFor();
    await request().waitFor({ state: 'detached' });
    // A failed attempt of the pipeline (event, throttle), but no wrong answer: the token's
    // counter is the denial's alone, as with an expired OCRA challenge.
    const events = await api.call('GET', `/api/v1/events?tokenId=${token.id}&type=auth.failure`);
    assert.deepEqual(
      (events.body.items as { reason: string }[]).map((e) => e.reason),
      ['expired_challenge', 'push_denied'],
    );
    assert.equal((await api.call('GET', `/api/v1/tokens/${token.id}`)).body.failedAttempts, 1);
  });
});
