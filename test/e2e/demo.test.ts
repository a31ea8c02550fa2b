import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ServerType } from '@hono/node-server';
import { SignJWT, decodeProtectedHeader, generateKeyPair } from 'jose';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { createDemoApp } from '../../demo/app.js';
import { seedDemo, type DemoData } from '../../demo/seed.js';
import { loadConfig } from '../../server/src/config.js';
import { createDelivery } from '../../server/src/delivery/index.js';
import { createLogger } from '../../server/src/logger.js';
import { closeServer, listen } from '../../server/src/main.js';
import { base32Decode, totp } from '../../server/src/otp/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { ensureWidgetBuilt, launchChromium } from '../helpers/browser.js';
import { testDevice } from '../helpers/push.js';
import { openTestDb, type TestDb } from '../helpers/db.js';

// The demo shop end to end (issue 8): Veriframe and the demo site on two origins, seeded through
// the admin API exactly as `npm start` seeds them, and a newcomer in real Chromium following
// what the pages say: alice with her live TOTP code, bob with the code from the dev outbox,
// dave with the OCRA helper, erin on the two-widget page. Then the form posts a site must refuse.

const WAIT = 30_000; // generous waits on a slow machine; nothing asserts on time

type Fetch = (req: Request) => Response | Promise<Response>;

/** Listens first (so the origin is known before the app exists), the app plugged in later. */
async function lateServer(): Promise<{ server: ServerType; origin: string; plug(app: { fetch: Function }): void }> {
  let app: { fetch: Function } | undefined;
  const server = await listen({ fetch: ((req: Request, env: unknown) => app!.fetch(req, env)) as Fetch }, 0, '127.0.0.1');
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, plug: (a) => (app = a) };
}

describe('demo shop end to end in Chromium', { timeout: 170_000 }, () => {
  let t: TestDb;
  let api: TestApp;
  let V: string; // Veriframe (PUBLIC_URL)
  let D: string; // the demo shop
  let data: DemoData;
  let browser: Browser;
  const servers: ServerType[] = [];
  const contexts: BrowserContext[] = [];

  before(async () => {
    ensureWidgetBuilt();
    t = await openTestDb('pglite');
    const veriframe = await lateServer();
    const demo = await lateServer();
    servers.push(veriframe.server, demo.server);
    [V, D] = [veriframe.origin, demo.origin];
    // The same delivery `serve --demo` builds: without SMTP_URL, e-mails go to the dev outbox.
    const delivery = createDelivery(loadConfig({ PUBLIC_URL: V, DATABASE_URL: 'pglite://memory', VERIFRAME_DEV_OUTBOX: '1' }), createLogger('silent'));
    api = await createTestApp(t, { env: { PUBLIC_URL: V, VERIFRAME_DEV_OUTBOX: '1' }, delivery });
    veriframe.plug(api.app);
    data = await seedDemo({ apiUrl: V, adminKey: api.adminKey, demoOrigins: [D] });
    demo.plug(createDemoApp({ veriframeUrl: V, adminKey: api.adminKey, data, outboxUrl: `${V}/dev/outbox` }));
    browser = await launchChromium();
  });

  after(async () => {
    await Promise.allSettled(contexts.map((c) => c.close()));
    await browser?.close();
    await Promise.allSettled(servers.map((s) => closeServer(s, 1000)));
    await t?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-US' });
    contexts.push(context);
    context.setDefaultTimeout(WAIT);
    return context.newPage();
  }

  /** Login and password in the widget of `form`, as the page tells the reader to. */
  async function identify(page: Page, login: string, form = 'form.login'): Promise<FrameLocator> {
    const frame = page.frameLocator(`${form} .veriframe iframe`);
    await frame.getByLabel('Login', { exact: true }).fill(login);
    await frame.getByLabel('Password', { exact: true }).fill(`${login}-demo`);
    await frame.getByRole('button', { name: 'Continue' }).click();
    return frame;
  }

  async function submitCode(frame: FrameLocator, label: string, code: string) {
    await frame.getByLabel(label, { exact: true }).fill(code);
    await frame.getByRole('button', { name: 'Verify' }).click();
  }

  /** The verified-claims page the form posted to: its heading and claims by name. */
  async function resultOf(page: Page) {
    await page.waitForURL(`${D}/login`);
    const rows = await page
      .locator('table tr')
      .evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')?.textContent ?? '', tr.querySelector('td')?.textContent ?? '']));
    return {
      heading: (await page.locator('h1').textContent())?.trim(),
      claims: Object.fromEntries(rows) as Record<string, string>,
      checks: await page.locator('main ul').innerText(),
    };
  }

  it('alice: password, then the TOTP code of the secret her page shows, ends on the verified claims', async () => {
    const page = await newPage();
    await page.goto(`${D}/users/alice`);
    // What a newcomer would type into an authenticator app.
    const secret = (await page.locator('details code').first().textContent())!.replace(/\s+/g, '');
    const frame = await identify(page, 'alice');
    const posted = page.waitForRequest(`${D}/login`);
    await submitCode(frame, 'One-time code', totp(base32Decode(secret), Date.now(), { algorithm: 'SHA1', digits: 6, period: 30 }));
    const result = await resultOf(page);
    assert.equal(result.heading, 'Signed in as alice');
    assert.equal(result.claims.login, 'alice');
    assert.equal(result.claims.sub, data.users.alice!.id);
    assert.equal(result.claims.amr, 'pwd, otp');
    assert.equal(result.claims.origin, D);
    assert.equal(result.claims.iss, V);
    assert.equal(result.claims.aud, data.resource.id);
    assert.equal((result.checks.match(/✓/g) ?? []).length, 3, result.checks);

    // The same post again is a replay: its nonce was used.
    const form = new URLSearchParams((await posted).postData()!);
    const cookie = (await page.context().cookies(D)).map((c) => `${c.name}=${c.value}`).join('; ');
    const post = (body: URLSearchParams) => fetch(`${D}/login`, { method: 'POST', body, headers: { cookie } });
    const replay = await post(form);
    assert.equal(replay.status, 400);
    assert.match(await replay.text(), /used already: this form was posted before/);

    // The token with a fresh nonce of this session: the token names another nonce.
    const fresh = /name="nonce" value="([\w-]+)"/.exec(await (await fetch(`${D}/`, { headers: { cookie } })).text())![1]!;
    const swapped = await post(new URLSearchParams({ 'veriframe-token': form.get('veriframe-token')!, nonce: fresh, back: '/' }));
    assert.equal(swapped.status, 403);
    const text = await swapped.text();
    assert.match(text, /not the one minted for this page view/);
    assert.match(text, /reason &quot;nonce_mismatch&quot;/);
  });

  it('bob: the e-mail code is read in the dev outbox his page links to', async () => {
    const page = await newPage();
    await page.goto(`${D}/users/bob`);
    const outboxUrl = await page.getByRole('link', { name: `${V}/dev/outbox` }).getAttribute('href');
    assert.equal(outboxUrl, `${V}/dev/outbox`);
    const frame = await identify(page, 'bob');
    await frame.getByLabel('One-time code', { exact: true }).waitFor();
    const outbox = await page.context().newPage();
    await outbox.goto(outboxUrl!);
    const newest = outbox.locator('tbody tr', { hasText: 'bob@demo.example' }).first();
    const code = /Your sign-in code: (\d{6})/.exec(await newest.innerText())![1]!;
    await outbox.close();
    await submitCode(frame, 'One-time code', code);
    const result = await resultOf(page);
    assert.equal(result.heading, 'Signed in as bob');
    assert.equal(result.claims.amr, 'pwd, otp');
  });

  it('dave: the OCRA helper on his page answers the challenge the widget shows', async () => {
    const page = await newPage();
    await page.goto(`${D}/users/dave`);
    const frame = await identify(page, 'dave');
    const challenge = (await frame.locator('dd.digits').textContent())!.trim();
    assert.match(challenge, /^\d{8}$/);
    await page.getByLabel('Challenge').fill(challenge);
    await page.getByRole('button', { name: 'Compute response' }).click();
    const response = /Response: (\d{6})/.exec((await page.locator('#ocra-out.big').textContent())!)![1]!;
    await submitCode(frame, 'Response', response);
    assert.equal((await resultOf(page)).heading, 'Signed in as dave');
  });

  it('two widgets on one page: erin signs in with the second one (bypass), in French', async () => {
    const page = await newPage();
    await page.goto(`${D}/two`);
    assert.equal(await page.locator('.veriframe iframe').count(), 2);
    await page.getByRole('link', { name: 'Français' }).click();
    const second = page.frameLocator('form.login >> nth=1 >> iframe');
    await second.getByLabel('Identifiant', { exact: true }).fill('erin');
    await second.getByLabel('Mot de passe', { exact: true }).fill('erin-demo');
    await second.locator('button[type=submit]').click();
    const result = await resultOf(page);
    assert.equal(result.heading, 'Signed in as erin');
    assert.equal(result.claims.amr, 'pwd, bypass');
  });

  it('refuses bad form posts with a page that says why, never a 500', async () => {
    const home = await fetch(`${D}/`);
    const cookie = home.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const nonce = /name="nonce" value="([\w-]+)"/.exec(await home.text())![1]!;
    const post = (fields: Record<string, string>, headers: Record<string, string> = { cookie }) =>
      fetch(`${D}/login`, { method: 'POST', body: new URLSearchParams(fields), headers });

    const empty = await post({ nonce });
    assert.equal(empty.status, 400);
    assert.match(await empty.text(), /no veriframe-token/);

    const unknown = await post({ 'veriframe-token': 'a.b.c', nonce: 'made-up' });
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /not minted by this site/);

    const noCookie = await post({ 'veriframe-token': 'a.b.c', nonce }, {});
    assert.equal(noCookie.status, 400);
    assert.match(await noCookie.text(), /another browser session/);

    // Signed with a key of our own under Veriframe's kid: both checks see the forgery.
    const { keys } = (await (await fetch(`${V}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ login: 'alice', nonce, amr: ['pwd', 'otp'], origin: D })
      .setProtectedHeader({ alg: 'ES256', kid: keys[0]!.kid })
      .setIssuer(V)
      .setAudience(data.resource.id)
      .setSubject(data.users.alice!.id)
      .setIssuedAt()
      .setExpirationTime('2m')
      .setJti('forged')
      .sign(privateKey);
    assert.equal(decodeProtectedHeader(forged).kid, keys[0]!.kid);
    const refused = await post({ 'veriframe-token': forged, nonce });
    assert.equal(refused.status, 403);
    const text = await refused.text();
    assert.match(text, /Sign-in not accepted/);
    assert.match(text, /reason &quot;bad_signature&quot;/);
    assert.match(text, /signature does not match/);

    const garbage = await fetch(`${D}/login`, { method: 'POST', body: 'not a form', headers: { cookie, 'content-type': 'application/json' } });
    assert.equal(garbage.status, 400);
  });

  it("frank's page shows his lock from the admin API; its buttons unlock and lock him", async () => {
    const frank = async () => (await (await fetch(`${D}/users/frank`)).text()).match(/<b class="(?:ok|bad)">(locked|not locked)<\/b>/)?.[1];
    assert.equal(await frank(), 'locked', 'locked at seed time by wrong codes');
    const unlock = await fetch(`${D}/users/frank/unlock`, { method: 'POST', redirect: 'manual' });
    assert.equal(unlock.status, 303);
    assert.equal(await frank(), 'not locked');
    await fetch(`${D}/users/frank/lock`, { method: 'POST', redirect: 'manual' });
    assert.equal(await frank(), 'locked');
  });

  it("ivan's page hands out a one-time enrolment link for the authenticator app, which registers his push token", async () => {
    const home = await (await fetch(`${D}/users/ivan`)).text();
    assert.match(home, new RegExp(`${V}/app/`));
    const page = await (await fetch(`${D}/users/ivan/enrol`, { method: 'POST' })).text();
    const uri = /(vfpush:\/\/enroll\?[^<"\s]+)/.exec(page)?.[1]?.replaceAll('&amp;', '&');
    assert.ok(uri, 'the page shows the link');
    const device = await testDevice(uri);
    assert.equal(device.link.server, V);
    const registered = await fetch(`${V}/app/api/push/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(await device.registration()),
    });
    assert.equal(registered.status, 201);
  });
});
