import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDemoApp } from '../../demo/app.js';
import { seedDemo, type DemoData } from '../../demo/seed.js';
import { listenTestApp, type ListeningTestApp } from '../helpers/app.js';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';

// The demo site's login flow, whose server-side checks now run through @veriframe/sdk: a page
// view mints a nonce, the widget's JSON API signs erin in (her token is in bypass, so no code),
// and the form post is verified offline and online. The browser version is test/e2e/demo.test.ts.

const D = 'http://127.0.0.1:8788';

for (const mode of dbModes()) {
  describe(`demo login through the SDK (${mode})`, { timeout: 120_000 }, () => {
    let t: TestDb;
    let srv: ListeningTestApp;
    let data: DemoData;
    let demo: ReturnType<typeof createDemoApp>;
    before(async () => {
      t = await openTestDb(mode);
      srv = await listenTestApp(t);
      data = await seedDemo({ apiUrl: srv.url, adminKey: srv.api.adminKey, demoOrigins: [D] });
      demo = createDemoApp({ veriframeUrl: srv.url, adminKey: srv.api.adminKey, data });
    });
    after(async () => {
      srv.server.close();
      await t.close();
    });

    /** A page view of the demo: its session cookie and the nonce it minted. */
    async function pageView(cookie?: string) {
      const res = await demo.request(`${D}/`, cookie ? { headers: { cookie } } : {});
      const nonce = /name="nonce" value="([\w-]+)"/.exec(await res.text())?.[1];
      assert.ok(nonce);
      return { cookie: cookie ?? res.headers.get('set-cookie')!.split(';')[0]!, nonce };
    }

    /** What the iframe does: start a transaction and sign erin in. */
    async function widgetLogin(nonce: string): Promise<string> {
      const post = async (step: string, body: unknown) => {
        const res = await fetch(`${srv.url}/widget/api/${step}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        assert.equal(res.status, 200, `${step}: ${await res.clone().text()}`);
        return (await res.json()) as Record<string, unknown>;
      };
      const started = await post('start', { resourceId: data.resource.id, origin: D, nonce, instance: 'sdk-test' });
      const done = await post('identify', { transaction: started.transaction, login: 'erin', password: 'erin-demo' });
      assert.equal(done.step, 'done', JSON.stringify(done));
      return done.token as string;
    }

    const submit = (cookie: string, form: Record<string, string>) =>
      demo.request(`${D}/login`, { method: 'POST', body: new URLSearchParams(form), headers: { cookie } });

    it('verifies the token offline and online and shows the claims', async () => {
      const { cookie, nonce } = await pageView();
      const token = await widgetLogin(nonce);
      const res = await submit(cookie, { 'veriframe-token': token, nonce, back: '/' });
      const html = await res.text();
      assert.equal(res.status, 200, html);
      assert.match(html, /Signed in as erin/);
      assert.equal((html.match(/✓/g) ?? []).length, 3, 'nonce, online and offline');
      assert.match(html, /@veriframe\/sdk/);
      assert.match(html, new RegExp(`<th>sub</th><td class="mono">${data.users.erin!.id}</td>`));

      // The same token with another nonce of this session: both checks refuse it for that reason.
      const again = await pageView(cookie);
      const swapped = await submit(cookie, { 'veriframe-token': token, nonce: again.nonce, back: '/' });
      const text = await swapped.text();
      assert.equal(swapped.status, 403);
      assert.equal((text.match(/reason &quot;nonce_mismatch&quot;/g) ?? []).length, 2, text);
    });
  });
}
