import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { apiCaller, bearer, type Token } from './admin-api.js';
import { hotpCode, liveCode, nextHotpCounter, ocraResponse, parseOtpauth, readHardwareCsv } from './codes.js';
import { langOf, page, type Site } from './layout.js';
import { createNonceStore, nonceProblems, randomId } from './nonces.js';
import { darkPage, homePage, resultPage, twoWidgetsPage, type LoginOutcome } from './pages.js';
import { HARDWARE_CSV_PATH, lockWithWrongCodes, type DemoData } from './seed.js';
import { userPage, type UserPageData } from './user-pages.js';
import { HARDWARE_CSV, OCRA_SECRET, OCRA_SUITE, demoUser } from './users.js';
import { demoVerifier } from './verify.js';

// The demo relying-party site: an ordinary website on its own origin that signs its users in
// with Veriframe. It mints a nonce per page view, embeds the widget with one script tag,
// receives the form post and verifies the result token on its server, online and offline, with
// @veriframe/sdk.

export interface DemoOptions {
  /** PUBLIC_URL: what browsers load, and the `iss` of result tokens. */
  veriframeUrl: string;
  /** Where this site's server reaches Veriframe (default: veriframeUrl). */
  apiUrl?: string;
  /** The demo's admin API key: the unlock button and the token states on the pages use it. */
  adminKey: string;
  /** What seedDemo set up. */
  data: DemoData;
  /** The dev outbox page, when e-mails go there. */
  outboxUrl?: string;
  now?: () => Date;
}

const SESSION_COOKIE = 'demo_session';
const TOTP_USERS = new Set(['alice', 'frank']);
const BACK = /^\/(?:users\/[a-z]+|two|dark)?$/;

const text = (v: unknown) => (typeof v === 'string' ? v : '');

export function createDemoApp(opts: DemoOptions) {
  const now = opts.now ?? (() => new Date());
  const apiUrl = opts.apiUrl ?? opts.veriframeUrl;
  const { data } = opts;
  const site: Site = { veriframeUrl: opts.veriframeUrl, resourceId: data.resource.id, ...(opts.outboxUrl ? { outboxUrl: opts.outboxUrl } : {}) };
  const admin = apiCaller(apiUrl, bearer(opts.adminKey));
  const nonces = createNonceStore(() => now().getTime());
  const verifier = demoVerifier(apiUrl, opts.veriframeUrl, data.resource);
  const hardware = readHardwareCsv(HARDWARE_CSV_PATH);
  const csvText = hardware.text;
  // No HOTP counter goes backwards, so the next search for carol's code starts at the last found.
  let hotpFrom = 0;

  /** The browser's session id, set as a cookie on first sight: nonces belong to it. */
  const session = (c: Context): string => {
    const existing = getCookie(c, SESSION_COOKIE);
    if (existing && /^[\w-]{16,64}$/.test(existing)) return existing;
    const id = randomId();
    setCookie(c, SESSION_COOKIE, id, { httpOnly: true, sameSite: 'Lax', path: '/' });
    return id;
  };
  const mint = (c: Context) => nonces.mint(session(c));
  const lang = (c: Context) => langOf(c.req.query('lang'));

  const app = new Hono();
  // Every page carries a one-time nonce: a page from the back/forward cache would carry a used one.
  app.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  app.use('*', bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('The form is too large.', 413) }));

  app.get('/', (c) => c.html(homePage(site, { nonce: mint(c), lang: lang(c) })));
  app.get('/two', (c) => c.html(twoWidgetsPage(site, { nonces: [mint(c), mint(c)], lang: lang(c) })));
  app.get('/dark', (c) => c.html(darkPage(site, { nonce: mint(c), lang: lang(c) })));

  const totpView = (login: string) => {
    const uri = data.users[login]?.otpauthUri;
    if (!uri || !TOTP_USERS.has(login)) return undefined;
    const p = parseOtpauth(uri);
    return { uri, base32: p.base32, ...liveCode(p, now().getTime()) };
  };

  async function carolCodes(serial: string): Promise<UserPageData['hotp']> {
    const t = hardware.tokens.find((h) => h.serialNumber === serial);
    const tokenId = data.users.carol?.tokenId;
    if (!t || !tokenId) return { csv: csvText, serial, next: `Token ${serial} is not in ${HARDWARE_CSV}.` };
    const counter = await nextHotpCounter(admin, tokenId, t, hotpFrom);
    if (counter === undefined) return { csv: csvText, serial, next: 'Veriframe accepts none of the next 1000 codes of this token (was it replaced?).' };
    hotpFrom = counter;
    return { csv: csvText, serial, next: [0, 1, 2].map((i) => ({ counter: counter + i, code: hotpCode(t, counter + i) })) };
  }

  app.get('/users/:login', async (c) => {
    const u = demoUser(c.req.param('login'));
    if (!u) return c.notFound();
    const d: UserPageData = { nonce: mint(c), lang: lang(c) };
    const totp = totpView(u.login);
    if (totp) d.totp = totp;
    const tokenId = data.users[u.login]?.tokenId;
    if (u.login === 'carol') d.hotp = await carolCodes(u.token.serial);
    if ((u.login === 'erin' || u.login === 'frank') && tokenId) d.token = await admin<Token>('GET', `/api/v1/tokens/${tokenId}`);
    return c.html(userPage(site, u, d));
  });

  app.get('/codes/:login', (c) => {
    const totp = totpView(c.req.param('login'));
    return totp ? c.json({ code: totp.code, remaining: totp.remaining }) : c.json({ error: 'no live code for this user' }, 404);
  });

  app.post('/ocra', async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const answer = ocraResponse(OCRA_SUITE, OCRA_SECRET, text(form.challenge));
    if (/json/.test(c.req.header('accept') ?? '')) return c.json(answer, 'error' in answer ? 400 : 200);
    const body = 'response' in answer ? html`<p>Response: <span class="big mono">${answer.response}</span></p>` : html`<p class="bad">${answer.error}</p>`;
    return c.html(
      page(site, { title: 'OCRA response', body: html`<h1>Dave's token</h1>${body}<p><a href="/users/dave">← dave</a></p>` }),
      'error' in answer ? 400 : 200,
    );
  });

  // Ivan's push token: a fresh one-time enrolment link for the authenticator app.
  app.post('/users/ivan/enrol', async (c) => {
    const tokenId = data.users.ivan?.tokenId;
    const u = demoUser('ivan');
    if (!tokenId || !u) return c.notFound();
    const reissued = await admin<Token & { pushUri?: string }>('POST', `/api/v1/tokens/${tokenId}/reissue`);
    const d: UserPageData = { nonce: mint(c), lang: lang(c), ...(reissued.pushUri ? { pushUri: reissued.pushUri } : {}) };
    return c.html(userPage(site, u, d));
  });

  app.post('/users/frank/unlock', async (c) => {
    const tokenId = data.users.frank?.tokenId;
    if (tokenId) await admin('POST', `/api/v1/tokens/${tokenId}/unlock`);
    return c.redirect('/users/frank', 303);
  });
  app.post('/users/frank/lock', async (c) => {
    const uri = data.users.frank?.otpauthUri;
    if (uri) await lockWithWrongCodes(apiUrl, data.resource, 'frank', uri, now());
    return c.redirect('/users/frank', 303);
  });

  app.get(`/${HARDWARE_CSV}`, (c) => c.body(csvText, 200, { 'content-type': 'text/csv; charset=utf-8' }));

  app.post('/login', async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = text(form['veriframe-token']);
    const nonce = text(form.nonce);
    const back = BACK.test(text(form.back)) ? text(form.back) : '/';
    const show = (o: Omit<LoginOutcome, 'back'>, status: 200 | 400 | 403) => c.html(resultPage(site, { back, ...o }), status);
    if (!token) return show({ problem: 'The form carried no veriframe-token: the sign-in in the widget was not finished.' }, 400);
    const taken = nonces.take(nonce, getCookie(c, SESSION_COOKIE) ?? '');
    if (!taken.ok) return show({ nonce: { ok: false, text: nonceProblems[taken.reason] }, token }, 400);
    // Offline first: it consumes nothing. Then the online check, which also makes the token single-use.
    const offlineCheck = await verifier.offline(token, nonce);
    const onlineCheck = await verifier.online(token, nonce);
    const ok = offlineCheck.ok && onlineCheck.ok;
    return show(
      { nonce: { ok: true, text: 'minted by this site for this page view in this browser, used once' }, offline: offlineCheck, online: onlineCheck, token },
      ok ? 200 : 403,
    );
  });

  app.notFound((c) => c.html(page(site, { title: 'Not found', body: html`<h1>Not found</h1><p><a href="/">Home</a> lists the demo pages.</p>` }), 404));
  // Whatever goes wrong (Veriframe stopped, say) is a page that says so, never a bare 500.
  app.onError((err, c) =>
    c.html(page(site, { title: 'Problem', body: html`<h1 class="bad">The demo could not do that</h1><p>${err.message}</p><p><a href="/">Home</a></p>` }), 502),
  );
  return app;
}
