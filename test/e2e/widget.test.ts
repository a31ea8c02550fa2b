import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerType } from '@hono/node-server';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import type { Browser, BrowserContext, Frame, FrameLocator, Locator, Page } from 'playwright-core';
import { closeServer } from '../../server/src/main.js';
import { base32Decode, totp, type OtpAlgorithm, type OtpDigits, type TotpPeriod } from '../../server/src/otp/index.js';
import { listenTestApp, type TestApp } from '../helpers/app.js';
import { adminCalls } from '../helpers/auth.js';
import { ensureWidgetBuilt, launchChromium, settledFrameHeight, startHostSite, type HostSite } from '../helpers/browser.js';
import { openTestDb, type TestDb } from '../helpers/db.js';

// The widget end to end in real Chromium, across origins (issue 7, DESIGN §7): a customer site
// on http://127.0.0.1:<A> embeds Veriframe from http://localhost:<B> with one script tag; the
// login runs inside the cross-origin iframe, and the site gets the signed result through its
// callback and the hidden form input, which its backend verifies.

const WAIT = 30_000; // the machine is slow: every wait is generous, none is an assertion on time
const PASSWORD = 'correct horse battery staple';

describe('widget end to end in Chromium (two origins)', { timeout: 170_000 }, () => {
  let t: TestDb;
  let api: TestApp;
  let admin: ReturnType<typeof adminCalls>;
  let veriframe: ServerType;
  let B: string; // the Veriframe origin (PUBLIC_URL)
  let site: HostSite; // allowed
  let stranger: HostSite; // not allowed
  let browser: Browser;
  let resource: { id: string; secret: string };
  const pages = new Map<string, string>();
  const contexts: BrowserContext[] = [];
  let serial = 0;

  before(async () => {
    ensureWidgetBuilt();
    t = await openTestDb('pglite');
    ({ api, server: veriframe, url: B } = await listenTestApp(t));
    admin = adminCalls(api);
    [site, stranger, browser] = await Promise.all([startHostSite(pages), startHostSite(pages), launchChromium()]);
    resource = await admin.resource({ name: 'Shop', allowedOrigins: [site.origin], authMethod: 'password+otp' });
  });

  after(async () => {
    await Promise.allSettled(contexts.map((c) => c.close()));
    await browser?.close();
    await Promise.allSettled([site?.close(), stranger?.close(), veriframe && closeServer(veriframe, 1000)]);
    await t?.close();
  });

  /** A user with a password, paired on the resource with a software TOTP token; `code()` is its current code. */
  async function seedUser(on: { id: string } = resource) {
    const login = `e2e-user-${++serial}`;
    const user = await admin.user({ login, password: PASSWORD });
    const token = await admin.token({ kind: 'software', type: 'totp' });
    await admin.pair(on.id, user.id, token.id);
    const uri = new URL(token.otpauthUri!);
    const secret = base32Decode(uri.searchParams.get('secret')!);
    const opts = {
      algorithm: (uri.searchParams.get('algorithm') ?? 'SHA1') as OtpAlgorithm,
      digits: Number(uri.searchParams.get('digits') ?? 6) as OtpDigits,
      period: Number(uri.searchParams.get('period') ?? 30) as TotpPeriod,
    };
    return { id: user.id, login, code: () => totp(secret, Date.now(), opts) };
  }

  /** A page of the host sites, at `path`; `body` goes before the loader's script tag. */
  function hostPage(path: string, body: string, script = `${B}/embed.js`): string {
    pages.set(
      path,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script>
  window.calls = []; window.seen = [];
  window.onOk = function (t) { window.calls.push(['ok', t]); };
  window.onOk2 = function (t) { window.calls.push(['ok2', t]); };
  addEventListener('message', function (e) { window.seen.push(e.data); });
</script></head>
<body style="width:380px">${body}
<script src="${script}" async></script></body></html>`,
    );
    return path;
  }

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-US' });
    contexts.push(context);
    context.setDefaultTimeout(WAIT);
    return context.newPage();
  }

  const calls = (page: Page) => page.evaluate(() => (window as unknown as { calls: [string, string][] }).calls);
  const inputValue = (page: Page, form: string) => page.locator(`${form} input[name="veriframe-token"]`).inputValue();

  /** Login and password, then the TOTP code; resolves once the iframe says "Signed in". */
  async function logIn(frame: FrameLocator, user: Awaited<ReturnType<typeof seedUser>>, onOtpStep?: () => Promise<void>) {
    await frame.getByLabel('Login', { exact: true }).fill(user.login);
    await frame.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await frame.getByRole('button', { name: 'Continue' }).click();
    const code = frame.getByLabel('One-time code', { exact: true });
    await code.waitFor();
    await onOtpStep?.();
    await code.fill(user.code());
    await frame.getByRole('button', { name: 'Verify' }).click();
    await frame.getByText('Signed in').waitFor();
  }

  const basic = () => 'Basic ' + Buffer.from(`${resource.id}:${resource.secret}`).toString('base64');
  async function verifyOnline(token: string, nonce: string) {
    const res = await fetch(`${B}/api/v1/verify`, {
      method: 'POST',
      headers: { authorization: basic(), 'content-type': 'application/json' },
      body: JSON.stringify({ token, nonce }),
    });
    assert.equal(res.status, 200);
    return (await res.json()) as Record<string, unknown>;
  }

  it('password + TOTP: the page gets a token that verifies offline with the JWKS and once online', async () => {
    const user = await seedUser();
    const nonce = 'nonce-full-login-1';
    const page = await newPage();
    await page.goto(
      site.origin +
        hostPage('/login', `<form id="f"><div class="veriframe" data-resource="${resource.id}" data-nonce="${nonce}" data-callback="onOk"></div></form>`),
    );

    const iframe = page.locator('#f iframe');
    const frame = page.frameLocator('#f iframe');
    assert.equal(await page.locator('#f input[name="veriframe-token"]').count(), 1, 'one hidden input in the form');
    assert.equal(await inputValue(page, '#f'), '');
    const src = new URL((await iframe.getAttribute('src'))!);
    assert.equal(src.origin, B);
    assert.equal(src.pathname, `/widget/${resource.id}`);
    assert.equal(src.searchParams.get('origin'), site.origin);

    await frame.getByLabel('Login', { exact: true }).waitFor();
    const identifyHeight = await settledFrameHeight(iframe);
    assert.ok(identifyHeight > 64, `the iframe took its content's height (${identifyHeight}px), not the placeholder's`);
    await logIn(frame, user, async () => {
      // With password + OTP the code step is a little shorter than login + password: the
      // iframe follows its content both ways (the OTP-only test below checks that it grows).
      const otpHeight = await settledFrameHeight(iframe);
      assert.notEqual(otpHeight, identifyHeight, "the iframe took the OTP step's height");
    });

    await page.waitForFunction(() => (window as unknown as { calls: unknown[] }).calls.length > 0, undefined, { timeout: WAIT });
    const got = await calls(page);
    assert.equal(got.length, 1, 'the callback ran once');
    const [name, token] = got[0]!;
    assert.equal(name, 'ok', 'the data-callback function ran');
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(await inputValue(page, '#f'), token, 'the hidden input holds the token');

    // Offline, as a site backend would with any JOSE library: the JWKS over HTTP...
    const expected = { issuer: B, audience: resource.id, algorithms: ['ES256'] };
    const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(`${B}/.well-known/jwks.json`)), expected);
    assert.equal(protectedHeader.alg, 'ES256');
    assert.equal(typeof protectedHeader.kid, 'string');
    assert.equal(payload.sub, user.id);
    assert.equal(payload.login, user.login);
    assert.equal(payload.nonce, nonce);
    assert.equal(payload.origin, site.origin);
    assert.deepEqual(payload.amr, ['pwd', 'otp']);
    assert.equal(payload.exp! - payload.iat!, 120);
    // ...and from a fetched copy; a token for another audience does not pass.
    const jwks = (await (await fetch(`${B}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    await jwtVerify(token, createLocalJWKSet(jwks), expected);
    await assert.rejects(jwtVerify(token, createLocalJWKSet(jwks), { ...expected, audience: 'another-resource' }));

    // Online: once, with the nonce the site minted; a second time it is a replay.
    const first = await verifyOnline(token, nonce);
    assert.equal(first.valid, true, JSON.stringify(first));
    assert.equal(first.sub, user.id);
    assert.equal(first.origin, site.origin);
    assert.deepEqual(await verifyOnline(token, nonce), { valid: false, reason: 'replayed' });
  });

  it('OTP only: the iframe grows when the code step appears, and the code signs in', async () => {
    const otpOnly = await admin.resource({ name: 'Kiosk', allowedOrigins: [site.origin], authMethod: 'otp' });
    const user = await seedUser(otpOnly);
    const page = await newPage();
    await page.goto(
      site.origin +
        hostPage(
          '/otp-only',
          `<form id="f"><div class="veriframe" data-resource="${otpOnly.id}" data-nonce="nonce-otp-only" data-callback="onOk"></div></form>`,
        ),
    );
    const iframe = page.locator('#f iframe');
    const frame = page.frameLocator('#f iframe');
    await frame.getByLabel('Login', { exact: true }).waitFor();
    assert.equal(await frame.getByLabel('Password', { exact: true }).count(), 0, 'no password asked');
    const identifyHeight = await settledFrameHeight(iframe);
    await frame.getByLabel('Login', { exact: true }).fill(user.login);
    await frame.getByRole('button', { name: 'Continue' }).click();
    const code = frame.getByLabel('One-time code', { exact: true });
    await code.waitFor();
    const otpHeight = await settledFrameHeight(iframe);
    assert.ok(otpHeight > identifyHeight, `the iframe grew for the OTP step (${identifyHeight}px → ${otpHeight}px)`);
    await code.fill(user.code());
    await code.press('Enter');
    await frame.getByText('Signed in').waitFor();
    await page.waitForFunction(() => (window as unknown as { calls: unknown[] }).calls.length > 0, undefined, { timeout: WAIT });
    const [[, token]] = (await calls(page)) as [[string, string]];
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${B}/.well-known/jwks.json`)), { issuer: B, audience: otpOnly.id });
    assert.deepEqual(payload.amr, ['otp']);
    assert.equal(await inputValue(page, '#f'), token);
  });

  it('a page on an origin that is not allowed gets no usable widget', async () => {
    const page = await newPage();
    const path = hostPage(
      '/not-allowed',
      `<form id="f"><div class="veriframe" data-resource="${resource.id}" data-nonce="nonce-stranger" data-callback="onOk"></div></form>`,
    );
    const refused = page.waitForResponse((r) => r.url().startsWith(`${B}/widget/${resource.id}?`), { timeout: WAIT });
    await page.goto(stranger.origin + path);
    const res = await refused;
    assert.equal(res.status(), 403);
    const headers = await res.allHeaders();
    assert.match(headers['content-security-policy']!, /frame-ancestors 'none'/);
    assert.doesNotMatch(headers['content-security-policy']!, new RegExp(stranger.origin.replace(/[.:/]/g, '\\$&')));
    assert.equal(headers['x-frame-options'], 'DENY');
    // The page says why, when opened on its own (not framed)...
    assert.match(await (await fetch(res.url())).text(), /not among the origins allowed/);

    // ...but framed, the browser blocks it: the iframe holds no Veriframe document at all.
    const iframe = page.locator('#f iframe');
    const loaded = (f: Frame | null | undefined) => !!f && f.url() !== '' && f.url() !== 'about:blank';
    // Listening before looking, so a navigation between the two is not missed.
    const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f.parentFrame() === page.mainFrame() && loaded(f), timeout: WAIT });
    navigated.catch(() => undefined); // unused when the frame had already navigated
    await iframe.waitFor({ state: 'attached' });
    const current = await (await iframe.elementHandle())?.contentFrame();
    const url = (loaded(current) ? current! : await navigated).url();
    assert.ok(!url.startsWith(B), `the iframe did not load Veriframe (${url})`);
    const frame = (await (await iframe.elementHandle())!.contentFrame())!;
    assert.equal(await frame.locator('input').count(), 0, 'no login field');
    assert.equal(await iframe.evaluate((el) => (el as HTMLElement).style.height), '64px', 'no resize ever came');
    assert.deepEqual(await calls(page), []);
    assert.equal(await inputValue(page, '#f'), '');
  });

  it('messages posted from the page itself or another origin do not reach the callback or the input', async () => {
    const user = await seedUser();
    const page = await newPage();
    await page.goto(
      site.origin +
        hostPage('/forged', `<form id="f"><div class="veriframe" data-resource="${resource.id}" data-nonce="nonce-forged" data-callback="onOk"></div></form>`),
    );
    const frame = page.frameLocator('#f iframe');
    await frame.getByLabel('Login', { exact: true }).waitFor();

    const forged = [
      { v: 1, type: 'result', token: 'a.b.c' },
      { v: 1, type: 'veriframe:result', token: 'a.b.c' },
      { v: 1, type: 'resize', height: 999 },
    ];
    // From the page itself (any script on it, e.g. a third-party tag)...
    await page.evaluate((msgs) => {
      for (const m of msgs) window.postMessage(m, '*');
      window.postMessage('sentinel-1', '*');
    }, forged);
    // ...and from a popup on another origin that holds a reference to the page.
    pages.set(
      '/popup',
      `<!doctype html><meta charset="utf-8"><title>popup</title><script>
      for (const m of ${JSON.stringify(forged)}) window.opener.postMessage(m, '*');
      window.opener.postMessage('sentinel-2', '*');
    </script>`,
    );
    const popupOpened = page.waitForEvent('popup');
    await page.evaluate((url) => void window.open(url, 'forger'), stranger.origin + '/popup');
    await popupOpened;
    // Messages from one window arrive in order: once the sentinels arrived, so had the forgeries.
    await page.waitForFunction(() => ['sentinel-1', 'sentinel-2'].every((s) => (window as unknown as { seen: unknown[] }).seen.includes(s)), undefined, {
      timeout: WAIT,
    });
    const seen = await page.evaluate(() => (window as unknown as { seen: unknown[] }).seen);
    assert.equal(seen.filter((m) => JSON.stringify(m).includes('a.b.c')).length, 4, 'the forged results were delivered to the page');
    assert.deepEqual(await calls(page), [], 'no callback for a forged result');
    assert.equal(await inputValue(page, '#f'), '', 'the hidden input stayed empty');
    assert.notEqual(await page.locator('#f iframe').evaluate((el) => (el as HTMLElement).style.height), '999px', 'a forged resize is ignored');

    // The widget still works, and the only result the site ever sees is the real one.
    await logIn(frame, user);
    await page.waitForFunction(() => (window as unknown as { calls: unknown[] }).calls.length > 0, undefined, { timeout: WAIT });
    const got = await calls(page);
    assert.equal(got.length, 1);
    assert.notEqual(got[0]![1], 'a.b.c');
    const { payload } = await jwtVerify(got[0]![1], createRemoteJWKSet(new URL(`${B}/.well-known/jwks.json`)), { issuer: B, audience: resource.id });
    assert.equal(payload.nonce, 'nonce-forged');
    assert.equal(await inputValue(page, '#f'), got[0]![1]);
  });

  it('two widgets on one page complete independently', async () => {
    const user = await seedUser();
    const page = await newPage();
    await page.goto(
      site.origin +
        hostPage(
          '/two',
          `<form id="f1"><div class="veriframe" data-resource="${resource.id}" data-nonce="nonce-one" data-callback="onOk"></div></form>
           <form id="f2"><div class="veriframe" data-resource="${resource.id}" data-nonce="nonce-two" data-callback="onOk2"></div></form>`,
        ),
    );
    const one = page.frameLocator('#f1 iframe');
    const two = page.frameLocator('#f2 iframe');
    await Promise.all([one.getByLabel('Login', { exact: true }).waitFor(), two.getByLabel('Login', { exact: true }).waitFor()]);
    const instances = await page.locator('iframe').evaluateAll((els) => els.map((el) => new URL((el as HTMLIFrameElement).src).searchParams.get('instance')));
    assert.equal(instances.length, 2);
    assert.notEqual(instances[0], instances[1], 'each widget has its own instance');

    // Something typed in the second one stays there.
    await two.getByLabel('Login', { exact: true }).fill('someone-else');
    await logIn(one, user);
    await page.waitForFunction(() => (window as unknown as { calls: unknown[] }).calls.length > 0, undefined, { timeout: WAIT });
    const got = await calls(page);
    assert.deepEqual(
      got.map(([n]) => n),
      ['ok'],
      'only the first widget called back',
    );
    const { payload } = await jwtVerify(got[0]![1], createRemoteJWKSet(new URL(`${B}/.well-known/jwks.json`)), { issuer: B, audience: resource.id });
    assert.equal(payload.nonce, 'nonce-one', "the first widget's nonce");
    assert.equal(await inputValue(page, '#f1'), got[0]![1]);
    assert.equal(await inputValue(page, '#f2'), '', "the second form's input stays empty");
    // The second widget is still at its first step, with what was typed in it.
    assert.equal(await two.getByLabel('Login', { exact: true }).inputValue(), 'someone-else');
    assert.equal(await two.getByLabel('One-time code', { exact: true }).count(), 0);
    assert.equal(await two.getByText('Signed in').count(), 0);
  });

  it('remove, then render again on the same element: one iframe, one input, and it still signs in', async () => {
    const user = await seedUser();
    const page = await newPage();
    await page.goto(
      site.origin +
        hostPage(
          '/explicit',
          `<form id="f"><div id="slot"></div></form>
           <script>
             window.results = [];
             window.opts = function (nonce) {
               return { resource: ${JSON.stringify(resource.id)}, nonce: nonce, onSuccess: function (t) { window.results.push([nonce, t]); } };
             };
             window.ready = function () { window.firstId = veriframe.render('slot', opts('nonce-first')); };
           </script>`,
          `${B}/embed.js?render=explicit&onload=ready`,
        ),
    );
    const frame = page.frameLocator('#slot iframe');
    await frame.getByLabel('Login', { exact: true }).waitFor();

    const ids = await page.evaluate(() => {
      const w = window as unknown as {
        veriframe: { remove(id: string): void; render(el: string, o: unknown): string | null };
        firstId: string;
        opts(n: string): unknown;
      };
      w.veriframe.remove(w.firstId);
      const afterRemove = document.querySelectorAll('#slot iframe, #f input[name="veriframe-token"]').length;
      w.veriframe.remove(w.firstId); // idempotent
      const second = w.veriframe.render('slot', w.opts('nonce-second'));
      return { first: w.firstId, second, afterRemove };
    });
    assert.equal(ids.afterRemove, 0, 'remove took the iframe and the input away');
    assert.ok(ids.second && ids.second !== ids.first, 'a new widget id');
    assert.equal(await page.locator('#slot iframe').count(), 1, 'one iframe');
    assert.equal(await page.locator('#f input[name="veriframe-token"]').count(), 1, 'one hidden input');

    await logIn(frame, user);
    await page.waitForFunction(() => (window as unknown as { results: unknown[] }).results.length > 0, undefined, { timeout: WAIT });
    const results = await page.evaluate(() => (window as unknown as { results: [string, string][] }).results);
    assert.equal(results.length, 1);
    assert.equal(results[0]![0], 'nonce-second', 'only the new widget called back');
    const token = results[0]![1];
    const response = await page.evaluate(({ first, second }) => {
      const v = (window as unknown as { veriframe: { getResponse(id: string): string } }).veriframe;
      return { first: v.getResponse(first), second: v.getResponse(second!) };
    }, ids);
    assert.deepEqual(response, { first: '', second: token });
    assert.equal(await inputValue(page, '#f'), token);
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${B}/.well-known/jwks.json`)), { issuer: B, audience: resource.id });
    assert.equal(payload.nonce, 'nonce-second');
  });
});
