import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerType } from '@hono/node-server';
import fc from 'fast-check';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { closeServer } from '../../server/src/main.js';
import { base32Decode, totp } from '../../server/src/otp/index.js';
import { HELLO, parseFrameMessage, parseHello, parseParentMessage, widgetErrorCodes } from '../../shared/protocol.js';
import { listenTestApp, type TestApp } from '../helpers/app.js';
import { adminCalls } from '../helpers/auth.js';
import { contentFrame, ensureWidgetBuilt, launchChromium, startHostSite, type HostSite } from '../helpers/browser.js';
import { openTestDb, type TestDb } from '../helpers/db.js';

// The postMessage protocol between the embed loader and the iframe (DESIGN §7.2), fuzzed at
// both levels. In Node, the parsers of shared/protocol.ts (hello, iframe → page, page →
// iframe) against a reference written from the protocol's types: they never throw, accept
// exactly the valid messages (returning them unchanged), and valid messages survive the
// structured clone postMessage applies. In real Chromium, a page with a rendered widget gets
// hundreds of random and forged messages on every path a script could use: the host window
// to the iframe, another origin's frame to both, and both ends of the real MessageChannel;
// the widget's state, the hidden input and the callbacks stay untouched and nothing throws.

// ---- a reference for "exactly valid", written from the message types --------------------------

const plainObject = (d: unknown): d is Record<string, unknown> => typeof d === 'object' && d !== null && !Array.isArray(d);
const exactKeys = (d: Record<string, unknown>, keys: string[]) => Object.keys(d).length === keys.length && keys.every((k) => Object.hasOwn(d, k));
const id = (s: unknown) => typeof s === 'string' && s.length >= 1 && s.length <= 128 && [...s].every((c) => /[A-Za-z0-9_-]/.test(c));

function validHello(d: unknown): boolean {
  return plainObject(d) && exactKeys(d, ['v', 'type', 'instance', 'nonce']) && d.v === 1 && d.type === HELLO && id(d.instance) && id(d.nonce);
}

function validFrame(d: unknown): boolean {
  if (!plainObject(d) || d.v !== 1) return false;
  switch (d.type) {
    case 'ready':
    case 'expired':
      return exactKeys(d, ['v', 'type']);
    case 'resize':
      return exactKeys(d, ['v', 'type', 'height']) && typeof d.height === 'number' && d.height >= 0 && d.height <= 4000;
    case 'state':
      return exactKeys(d, ['v', 'type', 'step']) && ['identify', 'otp', 'done', 'error'].includes(d.step as string);
    case 'result': {
      const parts = typeof d.token === 'string' ? d.token.split('.') : [];
      return exactKeys(d, ['v', 'type', 'token']) && (d.token as string).length < 4096 && parts.length === 3 && parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p));
    }
    case 'error':
      return exactKeys(d, ['v', 'type', 'code']) && (widgetErrorCodes as readonly unknown[]).includes(d.code);
    default:
      return false;
  }
}

function validParent(d: unknown): boolean {
  if (!plainObject(d) || d.v !== 1) return false;
  if (d.type === 'reset') return exactKeys(d, ['v', 'type']);
  if (d.type === 'lang') return exactKeys(d, ['v', 'type', 'lang']) && typeof d.lang === 'string' && /^[a-z][a-z]$/.test(d.lang) && d.lang.length === 2;
  if (d.type === 'theme') return exactKeys(d, ['v', 'type', 'theme']) && ['light', 'dark', 'auto'].includes(d.theme as string);
  return false;
}

// ---- generators ------------------------------------------------------------------------------

const idArb = fc.stringMatching(/^[A-Za-z0-9_-]{1,128}$/);
const jws = fc
  .tuple(fc.base64String({ minLength: 4, maxLength: 60 }), fc.base64String({ minLength: 4, maxLength: 60 }), fc.base64String({ minLength: 4, maxLength: 60 }))
  .map((p) => p.map((s) => s.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_') || 'x').join('.'));

/** Valid messages of each direction, generated from the types. */
const validHelloArb = fc.record({ v: fc.constant(1), type: fc.constant(HELLO), instance: idArb, nonce: idArb });
const validFrameArb = fc.oneof(
  fc.constantFrom('ready', 'expired').map((type) => ({ v: 1, type })),
  fc.double({ min: 0, max: 4000, noNaN: true }).map((height) => ({ v: 1, type: 'resize', height })),
  fc.constantFrom('identify', 'otp', 'done', 'error').map((step) => ({ v: 1, type: 'state', step })),
  jws.map((token) => ({ v: 1, type: 'result', token })),
  fc.constantFrom(...widgetErrorCodes).map((code) => ({ v: 1, type: 'error', code })),
);
const validParentArb = fc.oneof(
  fc.constant({ v: 1, type: 'reset' }),
  fc.stringMatching(/^[a-z]{2}$/).map((lang) => ({ v: 1, type: 'lang', lang })),
  fc.constantFrom('light', 'dark', 'auto').map((theme) => ({ v: 1, type: 'theme', theme })),
);

/** Anything structured clone can carry, with the exotic cases on. */
const anything = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});

/** Objects made of the protocol's own words with values that are almost right: where parsers slip. */
const nearMiss = fc
  .record(
    {
      v: fc.constantFrom<unknown>(1, 1, 1, '1', 2, 0, true, null, 1.5, -1, [1]),
      type: fc.oneof(
        fc.constantFrom(
          'ready',
          'expired',
          'resize',
          'state',
          'result',
          'error',
          'reset',
          'lang',
          'theme',
          HELLO,
          'veriframe:result',
          'Ready',
          ' result',
          'toString',
          '__proto__',
          'constructor',
        ),
        fc.string({ maxLength: 12 }),
      ),
      height: fc.oneof(fc.double(), fc.constantFrom<unknown>(-0, -1, 4000, 4000.0001, '100', null, Infinity, NaN)),
      step: fc.oneof(fc.constantFrom<unknown>('identify', 'otp', 'done', 'error', 'expired', 'IDENTIFY', ['otp']), fc.string({ maxLength: 8 })),
      token: fc.oneof(
        jws,
        fc.constantFrom<unknown>('a.b', 'a.b.c.d', 'a..c', '.b.c', 'a.b.c\n', 'a.b.c ', 'é.b.c', 'a.b.' + 'c'.repeat(5000), 42),
        fc.string({ maxLength: 20 }),
      ),
      code: fc.oneof(fc.constantFrom<unknown>(...widgetErrorCodes, 'Protocol', 'internal', 'toString', ''), fc.string({ maxLength: 10 })),
      lang: fc.oneof(fc.constantFrom<unknown>('en', 'fr', 'EN', 'e', 'eng', 'en\n', 'é', 'en-US', 42), fc.string({ maxLength: 3 })),
      theme: fc.constantFrom<unknown>('light', 'dark', 'auto', 'Dark', '', 'system', null),
      instance: fc.oneof(idArb, fc.constantFrom<unknown>('', 'a b', 'x'.repeat(129), 'é', 'a\n', 1)),
      nonce: fc.oneof(idArb, fc.constantFrom<unknown>('', 'a b', 'x'.repeat(129), '<script>', null)),
      extra: anything,
    },
    { requiredKeys: [] },
  )
  .chain((o) => fc.constantFrom<unknown>(o, Object.assign(Object.create(null) as object, o), [o]));

const parsers = [
  { name: 'parseHello', parse: parseHello, valid: validHello, arb: validHelloArb as fc.Arbitrary<unknown> },
  { name: 'parseFrameMessage', parse: parseFrameMessage, valid: validFrame, arb: validFrameArb as fc.Arbitrary<unknown> },
  { name: 'parseParentMessage', parse: parseParentMessage, valid: validParent, arb: validParentArb as fc.Arbitrary<unknown> },
];

describe('postMessage protocol parsers (fuzzed)', () => {
  for (const { name, parse, valid, arb } of parsers) {
    it(`${name}: never throws, and accepts exactly the valid messages, unchanged`, () => {
      fc.assert(
        fc.property(fc.oneof(anything, nearMiss, arb), (data) => {
          const result = parse(data);
          assert.equal(result !== null, valid(data), `${name}(${fc.stringify(data)}) → ${fc.stringify(result)}`);
          if (result !== null) assert.equal(result, data, 'the message itself is returned, not a copy with other content');
        }),
        { numRuns: 3000 },
      );
    });

    it(`${name}: valid messages survive structured clone and JSON, and any change breaks them`, () => {
      fc.assert(
        fc.property(arb, fc.string({ maxLength: 10 }), anything, (message, key, value) => {
          // (Compared with a plain copy: the generator also makes null-prototype objects.)
          for (const copy of [structuredClone(message), JSON.parse(JSON.stringify(message)) as unknown])
            assert.deepEqual(parse(copy), { ...(message as object) });
          const m = message as Record<string, unknown>;
          // Another field, another version, a field taken away: all refused.
          if (!Object.hasOwn(m, key)) assert.equal(parse({ ...m, [key]: value }), null, `extra ${key}`);
          for (const v of ['1', 2, 0, true, null, undefined, 1.0000001]) assert.equal(parse({ ...m, v }), null, `v=${String(v)}`);
          for (const k of Object.keys(m).filter((k) => k !== 'v' && k !== 'type')) {
            const { [k]: _removed, ...rest } = m;
            assert.equal(parse(rest), null, `without ${k}`);
          }
        }),
        { numRuns: 1000 },
      );
    });
  }
});

// ---- in Chromium -------------------------------------------------------------------------------

const WAIT = 30_000;
const PASSWORD = 'correct horse battery staple';
const TYPED = 'typed-before-the-storm';

/** Installed in every frame before its scripts: errors, and the ports and messages the test needs to see. */
function instrument(veriframeOrigin: string) {
  const w = window as unknown as Record<string, unknown>;
  const errors: string[] = [];
  w.__errors = errors;
  addEventListener('error', (e) => errors.push(`error: ${e.message}`));
  addEventListener('unhandledrejection', (e) => errors.push(`unhandled rejection: ${String(e.reason)}`));
  const windowMsgs: unknown[] = [];
  w.__windowMsgs = windowMsgs;
  if (location.origin === veriframeOrigin) {
    // The iframe: every window message it gets, and each port a hello carried (the first is the loader's).
    const ports: MessagePort[] = [];
    const portMsgs: unknown[] = [];
    Object.assign(w, { __ports: ports, __portMsgs: portMsgs });
    addEventListener(
      'message',
      (e) => {
        windowMsgs.push(e.data);
        if (e.ports.length && ports.length === 0) {
          ports.push(e.ports[0]!);
          e.ports[0]!.addEventListener('message', (m) => portMsgs.push(m.data));
        }
      },
      true,
    );
  } else {
    addEventListener('message', (e) => windowMsgs.push(e.data));
    // The host page: the loader's channel, and what arrives on its end of it.
    const Original = MessageChannel;
    const channels: MessageChannel[] = [];
    const portMsgs: unknown[] = [];
    Object.assign(w, { __channels: channels, __portMsgs: portMsgs });
    w.MessageChannel = function MessageChannel() {
      const c = new Original();
      channels.push(c);
      c.port1.addEventListener('message', (m) => portMsgs.push(m.data));
      return c;
    };
  }
}

/**
 * Posts `messages` (JSON texts) and then values only a page can make (huge strings, buffers,
 * blobs, cycles, exotic objects; none of them a valid message) on one end of the loader's
 * channel, then a sentinel. Runs in the browser, on the page's end or the iframe's.
 */
function postOnChannel({ end, messages, sentinel }: { end: 'page' | 'frame'; messages: string[]; sentinel: string }) {
  const w = window as unknown as { __channels: MessageChannel[]; __ports: MessagePort[] };
  const port = end === 'page' ? w.__channels[0]!.port1 : w.__ports[0]!;
  for (const text of messages) port.postMessage(JSON.parse(text));
  const cyclic: Record<string, unknown> = { v: 1, type: 'result' };
  cyclic.token = cyclic;
  let deep: unknown = { v: 1, type: 'reset', extra: 1 };
  for (let i = 0; i < 500; i++) deep = { v: 1, type: 'result', token: deep };
  const exotic: unknown[] = [
    undefined,
    null,
    NaN,
    -0,
    Infinity,
    10n ** 30n,
    '',
    'x'.repeat(4 * 1024 * 1024),
    new Date(NaN),
    /re(g)ex/giu,
    new Map<unknown, unknown>([[{ v: 1 }, 'reset']]),
    new Set([1, 'result']),
    new ArrayBuffer(1024),
    new Uint8Array([1, 2, 3]),
    new Float64Array([NaN, Infinity]),
    new DataView(new ArrayBuffer(8)),
    new Blob(['{"v":1,"type":"result","token":"a.b.c"}'], { type: 'application/json' }),
    new Error('forged'),
    new String('{"v":1,"type":"expired"}'),
    new Number(1),
    new Boolean(true),
    Object.assign([1, 2, 3], { v: 1, type: 'expired' }),
    cyclic,
    deep,
    Object.assign(Object.create(null) as object, { v: 1, type: 'result', token: 'a.b', x: 1 }),
    Object.assign(Object.create(null) as object, { v: 1, type: 'reset', x: 1 }),
    { v: 1, type: 'result', token: new String('a.b.c') },
    { v: 1, type: 'resize', height: new Number(10) },
    { v: 1, type: 'error', code: ['protocol'] },
    { v: 1, type: 'theme', theme: 'dark', x: 1 },
    { v: 1, type: 'lang', lang: 'de ', extra: undefined },
    { v: new Number(1), type: 'reset' },
  ];
  for (const m of exotic) port.postMessage(m);
  const spare = new MessageChannel();
  port.postMessage({ v: 1, type: 'expired', port: 1 }, [spare.port2]);
  port.postMessage(sentinel);
}

describe('postMessage handlers in Chromium (fuzzed)', { timeout: 240_000 }, () => {
  let t: TestDb;
  let api: TestApp;
  let veriframe: ServerType;
  let B: string;
  let site: HostSite;
  let stranger: HostSite;
  let browser: Browser;
  let context: BrowserContext;
  const pages = new Map<string, string>();

  before(async () => {
    ensureWidgetBuilt();
    t = await openTestDb('pglite');
    ({ api, server: veriframe, url: B } = await listenTestApp(t));
    [site, stranger, browser] = await Promise.all([startHostSite(pages), startHostSite(pages), launchChromium()]);
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await Promise.allSettled([site?.close(), stranger?.close(), veriframe && closeServer(veriframe, 1000)]);
    await t?.close();
  });

  it('ignores random and forged messages on every path, and still signs in afterwards', async () => {
    const admin = adminCalls(api);
    const resource = await admin.resource({ name: 'Fuzzed shop', allowedOrigins: [site.origin], authMethod: 'password+otp' });
    const user = await admin.user({ login: 'pm-user', password: PASSWORD });
    const token = await admin.token({ kind: 'software', type: 'totp' });
    await admin.pair(resource.id, user.id, token.id);
    const secret = base32Decode(new URL(token.otpauthUri!).searchParams.get('secret')!);

    pages.set(
      '/login',
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title><link rel="icon" href="data:,">
<script>
  window.calls = [];
  window.onOk = function (t) { calls.push(['ok', t]); };
  window.onErr = function (c) { calls.push(['error', c]); };
  window.onExp = function () { calls.push(['expired']); };
</script></head>
<body style="width:380px"><form id="f"><div class="veriframe" data-resource="${resource.id}" data-nonce="nonce-fuzz" data-callback="onOk" data-error-callback="onErr" data-expired-callback="onExp"></div></form>
<script src="${B}/embed.js" async></script></body></html>`,
    );
    pages.set(
      '/forger',
      '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>forger</title></head><body>forger</body></html>',
    );

    context = await browser.newContext({ locale: 'en-US' });
    context.setDefaultTimeout(WAIT);
    // tsx compiles this file keeping function names, through a helper `__name` that pages lack.
    await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await context.addInitScript(instrument, B);
    const page: Page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console ${msg.type()}: ${msg.text()} (${msg.location().url})`);
    });
    await page.goto(`${site.origin}/login`);

    const frame = page.frameLocator('#f iframe');
    const login = frame.getByLabel('Login', { exact: true });
    await login.fill(TYPED);
    const widget: Frame = await contentFrame(page.locator('#f iframe'));
    // The handshake is done once the loader's port reached the app and the app answered on it.
    await widget.waitForFunction(() => (window as unknown as { __ports: unknown[] }).__ports.length === 1, undefined, { timeout: WAIT });
    await page.waitForFunction(() => (window as unknown as { __portMsgs: unknown[] }).__portMsgs.length > 0, undefined, { timeout: WAIT });
    const instance = new URL((await page.locator('#f iframe').getAttribute('src'))!).searchParams.get('instance')!;

    /** What must not change: the app's transaction and port, the typed login, the page's token and callbacks. */
    const state = async () => ({
      widget: await widget.evaluate(() => {
        const app = document.querySelector('vf-app') as unknown as { transaction: string; port: unknown };
        const w = window as unknown as { __ports: unknown[] };
        return { transaction: app.transaction, samePort: app.port === w.__ports[0] };
      }),
      typed: await login.inputValue(),
      input: await page.locator('#f input[name="veriframe-token"]').inputValue(),
      inputs: await page.locator('input[name="veriframe-token"]').count(),
      iframes: await page.locator('#f iframe').count(),
      calls: await page.evaluate(() => (window as unknown as { calls: unknown[] }).calls),
    });
    const initial = await state();
    assert.ok(initial.widget.transaction, 'the app started a transaction');
    assert.equal(initial.widget.samePort, true);
    assert.deepEqual(
      { typed: initial.typed, input: initial.input, inputs: initial.inputs, iframes: initial.iframes, calls: initial.calls },
      { typed: TYPED, input: '', inputs: 1, iframes: 1, calls: [] },
    );

    // Random messages, as JSON (the page parses them), and forged protocol messages.
    const sample = <T>(arb: fc.Arbitrary<T>, n: number) => fc.sample(arb, { numRuns: n });
    const jsonable = (m: unknown) => {
      try {
        return JSON.stringify(m) !== undefined;
      } catch {
        return false; // a BigInt somewhere inside
      }
    };
    const jsonish = (n: number) => sample(fc.oneof(fc.jsonValue({ maxDepth: 3 }), nearMiss.filter(jsonable)), n).map((m) => JSON.stringify(m));
    const forged = [
      ...sample(validFrameArb, 20),
      ...sample(validParentArb, 10),
      { v: 1, type: HELLO, instance, nonce: 'nonce-fuzz' },
      { v: 1, type: HELLO, instance, nonce: 'other-nonce' },
      { v: 1, type: HELLO, instance: 'someone-else', nonce: 'nonce-fuzz' },
    ].map((m) => JSON.stringify(m));

    // 1. The host window to the iframe's window: everything, valid-looking or not, with and without
    //    ports (a second hello with a new port from the real parent must not take the widget over).
    const fromHost = [...jsonish(150), ...forged];
    await page.evaluate(
      ({ messages, origin, instance }) => {
        const target = (document.querySelector('#f iframe') as HTMLIFrameElement).contentWindow!;
        // The forged ports are kept referenced, so an answer on one of them could still arrive.
        const w = window as unknown as { __forgedPorts: MessagePort[]; __forgedReplies: unknown[] };
        w.__forgedPorts = [];
        w.__forgedReplies = [];
        const extra = (): unknown[] => {
          const cyclic: Record<string, unknown> = {};
          cyclic.self = cyclic;
          return [
            undefined,
            NaN,
            10n ** 20n,
            new Map([[1, 2]]),
            new Set([1]),
            new Date(0),
            /x/,
            new ArrayBuffer(8),
            new Blob(['x']),
            cyclic,
            'x'.repeat(2 * 1024 * 1024),
          ];
        };
        for (const text of messages) target.postMessage(JSON.parse(text), origin);
        for (const m of extra()) target.postMessage(m, '*');
        for (const nonce of ['nonce-fuzz', 'other']) {
          for (const ports of [1, 2]) {
            const channels = Array.from({ length: ports }, () => new MessageChannel());
            channels.forEach((c) => {
              c.port1.onmessage = (e) => w.__forgedReplies.push(e.data);
              w.__forgedPorts.push(c.port1);
            });
            target.postMessage(
              { v: 1, type: 'veriframe:hello', instance, nonce },
              origin,
              channels.map((c) => c.port2),
            );
          }
        }
        target.postMessage('sentinel-host', '*');
      },
      { messages: fromHost, origin: B, instance },
    );
    await widget.waitForFunction(() => (window as unknown as { __windowMsgs: unknown[] }).__windowMsgs.includes('sentinel-host'), undefined, { timeout: WAIT });

    // 2. Another origin's frame on the page, to the host window and to the widget's window.
    await page.evaluate((src) => {
      const f = document.createElement('iframe');
      f.src = src;
      f.id = 'stranger';
      document.body.append(f);
      return new Promise((resolve) => f.addEventListener('load', resolve));
    }, `${stranger.origin}/forger`);
    const forger = await contentFrame(page.locator('#stranger'));
    await forger.evaluate(
      ({ messages, instance }) => {
        const widgetWindow = window.parent.frames[0]!;
        for (const text of messages) {
          const m = JSON.parse(text) as unknown;
          window.parent.postMessage(m, '*');
          widgetWindow.postMessage(m, '*');
        }
        for (const nonce of ['nonce-fuzz', 'x']) {
          const c = new MessageChannel();
          c.port1.onmessage = () => window.parent.postMessage('stranger-got-a-reply', '*');
          widgetWindow.postMessage({ v: 1, type: 'veriframe:hello', instance, nonce }, '*', [c.port2]);
        }
        window.parent.postMessage('sentinel-stranger', '*');
        widgetWindow.postMessage('sentinel-stranger', '*');
      },
      { messages: [...jsonish(100), ...forged], instance },
    );
    await page.waitForFunction(() => (window as unknown as { __windowMsgs: unknown[] }).__windowMsgs.includes('sentinel-stranger'), undefined, {
      timeout: WAIT,
    });
    await widget.waitForFunction(() => (window as unknown as { __windowMsgs: unknown[] }).__windowMsgs.includes('sentinel-stranger'), undefined, {
      timeout: WAIT,
    });

    // 3. The page's end of the real channel, to the app: anything but a valid parent message.
    const toFrame = [...jsonish(200), ...forged].filter((text) => parseParentMessage(JSON.parse(text)) === null);
    await page.evaluate(postOnChannel, { end: 'page' as const, messages: toFrame, sentinel: 'sentinel-port-to-frame' });
    await widget.waitForFunction(() => (window as unknown as { __portMsgs: unknown[] }).__portMsgs.includes('sentinel-port-to-frame'), undefined, {
      timeout: WAIT,
    });

    // 4. The app's end of the real channel, to the loader: anything but a valid frame message.
    const toPage = [...jsonish(200), ...forged].filter((text) => parseFrameMessage(JSON.parse(text)) === null);
    await widget.evaluate(postOnChannel, { end: 'frame' as const, messages: toPage, sentinel: 'sentinel-port-to-page' });
    await page.waitForFunction(() => (window as unknown as { __portMsgs: unknown[] }).__portMsgs.includes('sentinel-port-to-page'), undefined, {
      timeout: WAIT,
    });

    // 5. The host window to itself (any script on the page can): the loader does not listen there.
    await page.evaluate(
      (messages) => {
        for (const text of messages) window.postMessage(JSON.parse(text), '*');
        window.postMessage('sentinel-self', '*');
      },
      [...jsonish(50), ...forged],
    );
    await page.waitForFunction(() => (window as unknown as { __windowMsgs: unknown[] }).__windowMsgs.includes('sentinel-self'), undefined, { timeout: WAIT });

    // The real channel still works, in order behind everything sent on it: a valid theme message
    // arrives after all of the above (one port delivers in order).
    await page.evaluate(() => (window as unknown as { __channels: MessageChannel[] }).__channels[0]!.port1.postMessage({ v: 1, type: 'theme', theme: 'dark' }));
    await widget.waitForFunction(() => document.querySelector('vf-app')?.getAttribute('theme') === 'dark', undefined, { timeout: WAIT });

    const after = await state();
    assert.deepEqual(after, initial, 'nothing changed: transaction, port, typed login, hidden input, callbacks');
    const frameHeight = await page.locator('#f iframe').evaluate((el) => (el as HTMLElement).style.height);
    const heights = await page.evaluate(() =>
      (window as unknown as { __portMsgs: unknown[] }).__portMsgs.flatMap((m) => {
        const r = m as { v?: unknown; type?: unknown; height?: unknown } | null;
        return r &&
          typeof r === 'object' &&
          !Array.isArray(r) &&
          Object.keys(r).length === 3 &&
          r.v === 1 &&
          r.type === 'resize' &&
          typeof r.height === 'number' &&
          r.height >= 0 &&
          r.height <= 4000
          ? [`${r.height}px`]
          : [];
      }),
    );
    assert.ok(frameHeight === '64px' || heights.includes(frameHeight), `the iframe's height (${frameHeight}) is one the app reported`);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __forgedReplies: unknown[] }).__forgedReplies), [], 'no answer on a forged hello port');
    assert.ok(
      !(await page.evaluate(() => (window as unknown as { __windowMsgs: unknown[] }).__windowMsgs.includes('stranger-got-a-reply'))),
      'no answer to the stranger',
    );
    assert.deepEqual(await widget.evaluate(() => (window as unknown as { __errors: string[] }).__errors), [], 'no error in the iframe');
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __errors: string[] }).__errors), [], 'no error on the page');
    assert.deepEqual(problems, [], 'no page error or console error');

    // After all that, a real sign-in still completes, and its result is the only one the page saw.
    await login.fill('pm-user');
    await frame.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await frame.getByRole('button', { name: 'Continue' }).click();
    const code = frame.getByLabel('One-time code', { exact: true });
    await code.fill(totp(secret, Date.now(), { algorithm: 'SHA1', digits: 6, period: 30 }));
    await frame.getByRole('button', { name: 'Verify' }).click();
    await frame.getByText('Signed in').waitFor();
    await page.waitForFunction(() => (window as unknown as { calls: unknown[] }).calls.length > 0, undefined, { timeout: WAIT });
    const calls = await page.evaluate(() => (window as unknown as { calls: [string, string][] }).calls);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]![0], 'ok');
    assert.match(calls[0]![1], /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(await page.locator('#f input[name="veriframe-token"]').inputValue(), calls[0]![1]);
    const verified = await fetch(`${B}/api/v1/verify`, {
      method: 'POST',
      headers: { authorization: 'Basic ' + Buffer.from(`${resource.id}:${resource.secret}`).toString('base64'), 'content-type': 'application/json' },
      body: JSON.stringify({ token: calls[0]![1], nonce: 'nonce-fuzz' }),
    });
    assert.equal(((await verified.json()) as { valid: boolean }).valid, true);
    assert.deepEqual(problems, [], 'no page error or console error');
  });
});
