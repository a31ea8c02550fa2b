import assert from 'node:assert/strict';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../../server/src/app.js';
import { loadConfig } from '../../../server/src/config.js';
import { createKeyRing } from '../../../server/src/crypto/secretbox.js';
import { createLogger } from '../../../server/src/logger.js';
import { createWidgetAssets, PROJECT_ROOT, viteBuild, type Builder } from '../../../server/src/widget/assets.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { adminCalls } from '../../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { SITE } from './helpers.js';

// GET /widget/{resourceId}: the iframe page for an allowed parent origin, a refusal that no
// site can frame for anything else; and the bundles it loads.

const EXPECTED_CSP = (origin: string) =>
  new RegExp(
    `^default-src 'none'; script-src 'self'; style-src 'self' 'sha256-[A-Za-z0-9+/]+=*'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors ${origin.replace(/[.]/g, '\\.')}$`,
  );

/** The config element's JSON, read back as the iframe app reads it. */
function configOf(html: string): Record<string, unknown> {
  const m = /<script type="application\/json" id="vf-config">([^<]*)<\/script>/.exec(html);
  assert.ok(m, 'the page has the config element');
  return JSON.parse(m[1]!) as Record<string, unknown>;
}

function assertRefusal(res: Response, html: string, status: number) {
  assert.equal(res.status, status);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /frame-ancestors 'none'$/);
  assert.ok(!csp.includes('*'));
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
  assert.equal(res.headers.get('set-cookie'), null);
  assert.ok(!html.includes('frame.js'), 'no app in a refusal');
  assert.ok(!html.includes('vf-config'), 'no config in a refusal');
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
}

for (const mode of dbModes()) {
  describe(`widget page (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let resourceId: string;
    const page = (query: Record<string, string>, id = resourceId) => api.app.request(`/widget/${id}?${new URLSearchParams(query)}`);
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t);
      const admin = adminCalls(api);
      resourceId = (
        await admin.resource({
          name: 'Shop </script><script>alert(1)</script> & <!-- \u2028 end',
          allowedOrigins: [SITE, 'http://localhost:3000'],
          authMethod: 'otp',
        })
      ).id;
    });
    after(() => t.close());

    it('serves the app for an allowed origin, framable by that origin only', async () => {
      const res = await page({ origin: SITE, instance: 'vf-abc_1', lang: 'de', theme: 'dark', size: 'compact' });
      const html = await res.text();
      assert.equal(res.status, 200);
      const csp = res.headers.get('content-security-policy')!;
      assert.match(csp, EXPECTED_CSP(SITE));
      assert.ok(!csp.includes('*') && !csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
      assert.equal(csp.match(/frame-ancestors (.*)$/)![1], SITE, 'exactly the one origin');
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('set-cookie'), null, 'no cookies');
      assert.equal(res.headers.get('x-frame-options'), null, 'frame-ancestors decides');
      assert.match(html, /<script type="module" src="\/widget\/assets\/frame\.js"><\/script>/);
      assert.ok(
        !/<script>|<script [^>]*>[^<]+<\/script>/.test(html.replace(/<script type="application\/json"[^>]*>[^<]*<\/script>/, '')),
        'no inline executable script',
      );
      assert.deepEqual(configOf(html), {
        resourceId,
        parentOrigin: SITE,
        instance: 'vf-abc_1',
        lang: 'de',
        theme: 'dark',
        authMethod: 'otp',
        resourceName: 'Shop </script><script>alert(1)</script> & <!-- \u2028 end',
        size: 'compact',
      });
    });

    it('escapes the config so no value can end its element', async () => {
      const html = await (await page({ origin: SITE, instance: 'i' })).text();
      const element = /id="vf-config">([\s\S]*?)<\/script>/.exec(html)![1]!;
      assert.ok(!element.includes('<') && !element.includes('>') && !element.includes('&') && !element.includes('\u2028'));
      assert.equal(html.match(/<script/g)!.length, 2, 'the config and the app, nothing injected');
      assert.equal(configOf(html).lang, 'auto', 'auto when not given');
      assert.equal(configOf(html).theme, 'auto');
    });

    it('normalises the origin and the language', async () => {
      const res = await page({ origin: 'HTTP://LOCALHOST:3000', instance: 'i', lang: 'fr-CA' });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-security-policy')!, /frame-ancestors http:\/\/localhost:3000$/);
      const cfg = configOf(await res.text());
      assert.equal(cfg.parentOrigin, 'http://localhost:3000');
      assert.equal(cfg.lang, 'fr');
      assert.equal(configOf(await (await page({ origin: SITE, instance: 'i', lang: 'it' })).text()).lang, 'en', 'no catalogue: English');
    });

    it('passes brand style (accent, radius, font) to the app as custom properties, only the given ones', async () => {
      const style = { accent: '#7a1fa2', radius: '0.5rem', font: '"Noto Sans", Inter-Var, sans-serif' };
      const cfg = configOf(await (await page({ origin: SITE, instance: 'i', ...style })).text());
      assert.deepEqual(cfg.style, { '--vf-accent': '#7a1fa2', '--vf-radius': '0.5rem', '--vf-font': '"Noto Sans", Inter-Var, sans-serif' });
      for (const accent of ['#abc', '#AABBCC', '#aabbcc80', 'rgb(10, 20, 30)', 'rgba(10,20,30,.5)', 'hsl(210 50% 40% / 0.8)']) {
        const res = await page({ origin: SITE, instance: 'i', accent, radius: '0' });
        assert.equal(res.status, 200, accent);
        assert.deepEqual(configOf(await res.text()).style, { '--vf-accent': accent, '--vf-radius': '0' });
      }
      assert.equal(configOf(await (await page({ origin: SITE, instance: 'i' })).text()).style, undefined, 'no style when none given');
      assert.equal(configOf(await (await page({ origin: SITE, instance: 'i', accent: '' })).text()).style, undefined, 'empty is not given');
    });

    it('refuses a brand style value that is not a plain colour, length or font list with 400', async () => {
      const bad: Record<string, string>[] = [
        { accent: 'red;}body{x' },
        { accent: 'red' },
        { accent: '#abcd' },
        { accent: 'url(https://evil.example/x)' },
        { accent: 'rgb(1,2,3);color:red' },
        { accent: 'rgb(image-set(x))' },
        { radius: '8px;color:red' },
        { radius: '8' },
        { radius: 'calc(1px)' },
        { font: '</style>' },
        { font: 'Inter; color: red' },
        { font: 'Inter{}' },
        { font: 'a'.repeat(101) },
      ];
      for (const query of bad) {
        const res = await page({ origin: SITE, instance: 'i', ...query });
        const html = await res.text();
        assertRefusal(res, html, 400);
        assert.ok(!html.includes('evil.example') && !html.includes('color:red') && !html.includes('body{x'), 'the value is not echoed');
      }
    });

    it('refuses an origin that is not allowed, with a page no site may frame', async () => {
      for (const origin of ['https://evil.example', 'https://shop.example.evil.example', '*', 'null', `${SITE}/path`]) {
        const res = await page({ origin, instance: 'i' });
        const html = await res.text();
        assertRefusal(res, html, 403);
        assert.ok(!(res.headers.get('content-security-policy') ?? '').includes('evil'), 'the refused origin is never listed');
      }
      const missing = await page({ instance: 'i' });
      assertRefusal(missing, await missing.text(), 403);
      const html = await (await page({ origin: 'https://<b>x</b>.example', instance: 'i' })).text();
      assert.ok(!html.includes('<b>'), 'the echoed origin is escaped');
    });

    it('refuses an unknown or inactive resource with 404, malformed parameters with 400', async () => {
      const unknown = await page({ origin: SITE, instance: 'i' }, '00000000-0000-4000-8000-000000000000');
      assertRefusal(unknown, await unknown.text(), 404);
      const garbage = await page({ origin: SITE, instance: 'i' }, 'not-a-uuid');
      assertRefusal(garbage, await garbage.text(), 404);
      const admin = adminCalls(api);
      const off = await admin.resource({ allowedOrigins: [SITE], active: false });
      const inactive = await page({ origin: SITE, instance: 'i' }, off.id);
      assertRefusal(inactive, await inactive.text(), 404);
      const malformed: Record<string, string>[] = [
        { instance: 'bad instance!' },
        { instance: '' },
        { instance: 'x'.repeat(129) },
        { instance: 'i', theme: 'neon' },
        { instance: 'i', size: 'huge' },
        { instance: 'i', lang: 'de"><script>' },
        {},
      ];
      for (const query of malformed) {
        const res = await page({ origin: SITE, ...query });
        assertRefusal(res, await res.text(), 400);
      }
    });

    it('serves the built app bundle (from dist/widget, or built in memory)', async () => {
      const res = await api.app.request('/widget/assets/frame.js');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^text\/javascript/);
      assert.ok((await res.text()).length > 1000);
      assert.equal((await api.app.request('/widget/assets/nope.js')).status, 404);
      assert.equal((await api.app.request('/widget/assets/frame.exe')).status, 404);
    });
  });
}

describe('widget assets', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vf-assets-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  // The routes need no database for the bundles; a stub stands in for it.
  const appWith = (assets: ReturnType<typeof createWidgetAssets>) =>
    createApp({
      config: loadConfig({ DATABASE_URL: 'pglite://memory', LOG_LEVEL: 'silent' }),
      db: {} as never,
      log: createLogger('silent'),
      keyRing: createKeyRing(Buffer.alloc(32, 1)),
      widgetAssets: assets,
    });

  it('serves dist/widget with an ETag, answers 304, and picks up a rebuild', async () => {
    const dist = path.join(dir, 'dist');
    await rm(dist, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(path.join(dist, 'chunks'), { recursive: true }));
    await writeFile(path.join(dist, 'frame.js'), 'export const v = 1;');
    await writeFile(path.join(dist, 'chunks', 'fr-abc.js'), 'export default {};');
    await writeFile(path.join(dist, 'embed.js'), '(function(){})();');
    const app = appWith(createWidgetAssets({ distDir: dist, production: true, log: createLogger('silent'), build: () => Promise.reject(new Error('never')) }));
    const res = await app.request('/widget/assets/frame.js');
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'export const v = 1;');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const etag = res.headers.get('etag')!;
    assert.equal((await app.request('/widget/assets/frame.js', { headers: { 'if-none-match': etag } })).status, 304);
    assert.equal(await (await app.request('/widget/assets/chunks/fr-abc.js')).text(), 'export default {};', 'chunks the app imports');
    // The loader is fetched by other sites' pages: cacheable for a few minutes, embeddable anywhere.
    const embed = await app.request('/embed.js');
    assert.equal(await embed.text(), '(function(){})();');
    assert.equal(embed.headers.get('cache-control'), 'public, max-age=300');
    assert.equal(embed.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.match(embed.headers.get('content-type')!, /^text\/javascript/);
    for (const sneaky of [
      '/widget/assets/..%2Fframe.js',
      '/widget/assets/.hidden.js',
      '/widget/assets/chunks/..%2F..%2Fsecret.js',
      '/widget/assets/a%5Cb.js',
    ]) {
      assert.equal((await app.request(sneaky)).status, 404, sneaky);
    }
    // A rebuild: new content of another size and a later modification time (set, not waited for).
    await writeFile(path.join(dist, 'frame.js'), 'export const v = 22;');
    await utimes(path.join(dist, 'frame.js'), new Date(), new Date(Date.now() + 60_000));
    assert.equal(await (await app.request('/widget/assets/frame.js')).text(), 'export const v = 22;', 'a rebuild is served without restart');
  });

  it('builds once in memory in development when there is no build', async () => {
    let builds = 0;
    const build: Builder = async () => {
      builds++;
      // Finishes on a later turn of the event loop, as a real build does, so both requests overlap it.
      await new Promise((r) => setImmediate(r));
      return new Map([['frame.js', Buffer.from('export const built = true;')]]);
    };
    const app = appWith(createWidgetAssets({ distDir: path.join(dir, 'absent'), production: false, log: createLogger('silent'), build }));
    const [a, b] = await Promise.all([app.request('/widget/assets/frame.js'), app.request('/widget/assets/frame.js')]);
    assert.equal(await a.text(), 'export const built = true;');
    assert.equal(b.status, 200);
    assert.equal((await app.request('/widget/assets/other.js')).status, 404);
    assert.equal(builds, 1);
  });

  it('builds both bundles (frame.js with its language chunks, and embed.js) in memory with Vite', async () => {
    const files = await viteBuild(PROJECT_ROOT);
    assert.ok(files.has('frame.js'));
    assert.ok(files.has('embed.js'), 'the loader is built too, so /embed.js works without npm run build');
    assert.ok(
      [...files.keys()].some((f) => /^fr-.*\.js$/.test(f)),
      'language chunks',
    );
  });

  it('says to run npm run build when there is none (production, or the build failed)', async () => {
    const prod = appWith(createWidgetAssets({ distDir: path.join(dir, 'absent'), production: true, log: createLogger('silent') }));
    const res = await prod.request('/widget/assets/frame.js');
    assert.equal(res.status, 503);
    assert.match(await res.text(), /npm run build/);

    let calls = 0;
    const failing = appWith(
      createWidgetAssets({
        distDir: path.join(dir, 'absent'),
        production: false,
        log: createLogger('silent'),
        build: () => Promise.reject(new Error(`syntax error ${++calls}`)),
      }),
    );
    const first = await failing.request('/widget/assets/frame.js');
    assert.equal(first.status, 503);
    assert.match(await first.text(), /npm run build.*syntax error 1/s);
    assert.match(await (await failing.request('/widget/assets/frame.js')).text(), /syntax error 2/, 'a failed build is tried again');
  });
});
