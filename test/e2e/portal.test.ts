import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { ServerType } from '@hono/node-server';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '../../server/src/config.js';
import { createDelivery } from '../../server/src/delivery/index.js';
import { createLogger } from '../../server/src/logger.js';
import { closeServer } from '../../server/src/main.js';
import { base32Decode, totp } from '../../server/src/otp/index.js';
import { listenTestApp, type TestApp } from '../helpers/app.js';
import { adminCalls } from '../helpers/auth.js';
import { ensureWidgetBuilt, launchChromium, startHostSite, type HostSite } from '../helpers/browser.js';
import { openTestDb, type TestDb } from '../helpers/db.js';
import { mailText, startSmtp } from '../helpers/smtp.js';

// The self-service portal (DESIGN §12) and enrolment during login in real Chromium; e-mailed
// codes go through a real SMTP server and are read from what it received.

const WAIT = 30_000;
const PASSWORD = 'correct horse battery staple';
const ADDRESS = 'e2e-shop';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const code30 = (secret: string) => totp(base32Decode(secret), Date.now(), { algorithm: 'SHA1', digits: 6, period: 30 });

describe('self-service portal end to end in Chromium', { timeout: 240_000 }, () => {
  let t: TestDb;
  let api: TestApp;
  let admin: ReturnType<typeof adminCalls>;
  let server: ServerType;
  let B: string;
  let site: HostSite;
  let browser: Browser;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let resource: { id: string; secret: string };
  let other: { id: string; secret: string };
  const pages = new Map<string, string>();
  const contexts: BrowserContext[] = [];
  let serial = 0;

  before(async () => {
    ensureWidgetBuilt();
    smtp = await startSmtp();
    t = await openTestDb('pglite');
    const delivery = createDelivery(loadConfig({ DATABASE_URL: 'pglite://memory', LOG_LEVEL: 'silent', SMTP_URL: smtp.url }), createLogger('silent'));
    ({ api, server, url: B } = await listenTestApp(t, { delivery }));
    admin = adminCalls(api);
    [site, browser] = await Promise.all([startHostSite(pages), launchChromium()]);
    resource = await admin.resource({
      name: 'E2E shop',
      allowedOrigins: [site.origin],
      authMethod: 'password+otp',
      enrollOnLogin: true,
      selfService: {
        enabled: true,
        address: ADDRESS,
        allowedActions: { token: { enroll: true }, user: { changeNames: true } },
        enrollmentTypes: ['totp', 'email'],
      },
    });
    other = await admin.resource({ name: 'Other shop', selfService: { enabled: true, address: 'e2e-other' } });
  });

  after(async () => {
    await Promise.allSettled(contexts.map((c) => c.close()));
    await browser?.close();
    await Promise.allSettled([site?.close(), server && closeServer(server, 1000), smtp?.close()]);
    await t?.close();
  });

  async function newPage(opts: { bypassCSP?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 320, height: 800 }, ...opts });
    contexts.push(context);
    context.setDefaultTimeout(WAIT);
    return context.newPage();
  }

  async function user(opts: { password?: boolean; on?: { id: string } } = {}) {
    const login = `portal-e2e-${++serial}`;
    const email = `${login}@example.test`;
    const u = await admin.user({ login, email, ...(opts.password === false ? {} : { password: PASSWORD }) });
    await admin.assignUser((opts.on ?? resource).id, u.id);
    return { id: u.id, login, email };
  }

  /** The newest code in a mail to `to` that the SMTP server received after `since` mails. */
  async function mailedCode(to: string, since: number, re: RegExp): Promise<string> {
    const deadline = Date.now() + WAIT;
    for (;;) {
      const mail = smtp.received.slice(since).findLast((m) => m.to.includes(to));
      const found = mail && re.exec(mailText(mail.raw));
      if (found) return found[1]!;
      if (Date.now() > deadline) throw new Error(`no code mailed to ${to}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async function signInWithPassword(page: Page, login: string) {
    await page.goto(`${B}/self-service/${ADDRESS}`);
    await page.getByLabel('Login', { exact: true }).fill(login);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  async function axe(page: Page) {
    await page.evaluate(axeSource);
    const result = await page.evaluate(async () =>
      (await (window as unknown as { axe: { run(): Promise<{ violations: { id: string }[] }> } }).axe.run()).violations.map((v) => v.id),
    );
    assert.deepEqual(result, [], 'axe finds no violations');
  }

  it('password + OTP sign-in, then only the allowed actions, and the API refuses the others', async () => {
    const u = await user();
    const token = await admin.token({ kind: 'software', type: 'totp' });
    await admin.pair(resource.id, u.id, token.id);
    const page = await newPage();
    const response = await page.goto(`${B}/self-service/${ADDRESS}`);
    assert.match(response!.headers()['content-security-policy']!, /default-src 'none'.*frame-ancestors 'none'/);
    await signInWithPassword(page, u.login);
    await page.getByLabel('One-time code', { exact: true }).fill(code30(new URL(token.otpauthUri!).searchParams.get('secret')!));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Your token' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Save names' }).count(), 1, 'an allowed action is shown');
    for (const hidden of ['Change login', 'Change e-mail', 'Reissue (new key)', 'Remove my token', 'Set PIN', 'Synchronize']) {
      assert.equal(await page.getByRole('button', { name: hidden }).count(), 0, `${hidden} is not shown`);
    }
    // Called directly from the signed-in page, with the session's CSRF value: refused.
    const direct = await page.evaluate(async (address) => {
      const me = await (await fetch(`/self-service/${address}/api/me`)).json();
      const res = await fetch(`/self-service/${address}/api/user/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-veriframe-csrf': me.csrf },
        body: JSON.stringify({ login: 'hijacked' }),
      });
      return { status: res.status, body: await res.json() };
    }, ADDRESS);
    assert.equal(direct.status, 403);
    assert.equal(direct.body.error.code, 'action_not_allowed');
    const cookies = await page.context().cookies(`${B}/self-service/${ADDRESS}/api/me`);
    const ss = cookies.find((c) => c.name === 'vf_ss')!;
    assert.equal(ss.path, `/self-service/${ADDRESS}`);
    assert.equal(ss.httpOnly, true);
    assert.equal(ss.sameSite, 'Strict');
  });

  it('e-mail code sign-in for a user without a password, then enrols an authenticator with the code from its secret', async () => {
    const u = await user({ password: false });
    const page = await newPage();
    await page.goto(`${B}/self-service/${ADDRESS}`);
    const before = smtp.received.length;
    await page.getByLabel('Login', { exact: true }).fill(u.login);
    await page.getByRole('button', { name: 'Continue' }).click();
    const field = page.getByLabel('Code from your e-mail', { exact: true });
    await field.fill(await mailedCode(u.email, before, / is (\d{6})\./));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('You have no token here yet.').waitFor();
    await page.getByLabel('Kind of token').selectOption('totp');
    await page.getByRole('button', { name: 'Add a token' }).click();
    const secret = (await page.locator('[data-secret]').textContent())!.trim();
    await page.getByLabel('Confirming code', { exact: true }).fill(code30(secret));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Authenticator app (TOTP)').waitFor();
    assert.equal(await page.getByText('You have no token here yet.').count(), 0);
  });

  it('enrols an e-mail token confirmed by the e-mailed code, and passes axe', async () => {
    const u = await user();
    const page = await newPage({ bypassCSP: true });
    await page.goto(`${B}/self-service/${ADDRESS}`);
    await page.getByLabel('Login', { exact: true }).waitFor();
    await axe(page);
    await signInWithPassword(page, u.login);
    await page.getByText('You have no token here yet.').waitFor();
    await axe(page);
    const before = smtp.received.length;
    await page.getByLabel('Kind of token').selectOption('email');
    await page.getByRole('button', { name: 'Add a token' }).click();
    await page.getByLabel('Confirming code', { exact: true }).fill(await mailedCode(u.email, before, /sign-in code is (\d+)/));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Codes by e-mail').first().waitFor();
    await page.getByRole('heading', { name: 'Your token' }).waitFor();
    const paired = await t.db
      .selectFrom('resource_user_tokens')
      .select('tokenId')
      .where('userId', '=', u.id)
      .where('resourceId', '=', resource.id)
      .executeTakeFirst();
    assert.ok(paired, 'the e-mail token is assigned');
    // Dark theme, and still clean.
    await page.getByRole('button', { name: 'Dark' }).click();
    await axe(page);
  });

  it('refuses a user of another resource like a wrong password', async () => {
    const u = await user({ on: other });
    const page = await newPage();
    await signInWithPassword(page, u.login);
    await page.getByRole('alert').filter({ hasText: 'Wrong login, password or code' }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Your token' }).count(), 0);
  });

  it('enrolment during login in the widget ends with a verified JWT whose amr says enroll', async () => {
    const u = await user();
    const nonce = 'nonce-enrol-1';
    pages.set(
      '/enrol',
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script>window.calls = []; window.onOk = function (t) { window.calls.push(t); };</script></head>
<body style="width:380px"><form id="f"><div class="veriframe" data-resource="${resource.id}" data-nonce="${nonce}" data-callback="onOk"></div></form>
<script src="${B}/embed.js" async></script></body></html>`,
    );
    const page = await newPage();
    await page.setViewportSize({ width: 420, height: 900 });
    await page.goto(`${site.origin}/enrol`);
    const frame = page.frameLocator('#f iframe');
    await frame.getByLabel('Login', { exact: true }).fill(u.login);
    await frame.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await frame.getByRole('button', { name: 'Continue' }).click();
    await frame.getByRole('button', { name: 'Authenticator app', exact: true }).click();
    const secret = (await frame.locator('.key').textContent())!.trim();
    await frame.getByLabel('One-time code', { exact: true }).fill(code30(secret));
    await frame.getByRole('button', { name: 'Verify' }).click();
    await frame.getByText('Signed in').waitFor();
    await page.waitForFunction(() => (window as unknown as { calls: unknown[] }).calls.length > 0, undefined, { timeout: WAIT });
    const [token] = await page.evaluate(() => (window as unknown as { calls: string[] }).calls);
    const { payload } = await jwtVerify(token!, createRemoteJWKSet(new URL(`${B}/.well-known/jwks.json`)), {
      issuer: B,
      audience: resource.id,
      algorithms: ['ES256'],
    });
    assert.equal(payload.sub, u.id);
    assert.equal(payload.nonce, nonce);
    assert.deepEqual(payload.amr, ['pwd', 'otp', 'enroll']);
  });
});
