import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDelivery, type DeliveryConfig } from '../../../server/src/delivery/index.js';
import { outboxRoutes } from '../../../server/src/delivery/routes.js';
import type { Config } from '../../../server/src/config.js';
import { createLogger } from '../../../server/src/logger.js';
import ipaddr from 'ipaddr.js';

const base: DeliveryConfig = {
  smtpUrl: undefined,
  smsWebhookUrl: undefined,
  botWebhookUrl: undefined,
  production: false,
  publicUrl: 'http://127.0.0.1:8787',
  devOutbox: true,
};
const silent = createLogger('silent');

async function devApp(production: boolean, trustedProxies: Config['trustedProxies'] = []) {
  // Messages in the outbox either way: the routes alone must refuse to show them in production.
  const delivery = createDelivery(base, silent, { now: () => new Date('2026-03-04T05:06:07.000Z') });
  await delivery.send({ channel: 'email', to: 'ann@example.com', subject: 'Your code', text: 'Code 111111', kind: 'otp' });
  await delivery.send({ channel: 'sms', to: '+15550100', subject: 'Veriframe', text: 'Code 222222', kind: 'otp' });
  return { delivery, app: outboxRoutes(delivery, { production, trustedProxies }) };
}

describe('/dev/outbox', () => {
  it('serves an HTML page, newest first, refreshing every 3 s without any script', async () => {
    const { app } = await devApp(false);
    const res = await app.request('/dev/outbox');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /script-src/);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    const html = await res.text();
    assert.match(html, /<meta http-equiv="refresh" content="3">/);
    assert.doesNotMatch(html, /<script/i);
    assert.ok(html.indexOf('Code 222222') < html.indexOf('Code 111111'), 'newest first');
    for (const s of ['2026-03-04T05:06:07.000Z', 'sms', '+15550100', 'Your code', 'ann@example.com']) assert.ok(html.includes(s), s);
  });

  it('escapes markup in every field', async () => {
    const { app, delivery } = await devApp(false);
    await delivery.send({
      channel: 'bot',
      to: '<img src=x onerror=alert(1)>',
      subject: '"><b>s</b>',
      text: '<script>alert("x")</script> & more',
      kind: 'other',
    });
    const html = await (await app.request('/dev/outbox')).text();
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img/i);
    assert.doesNotMatch(html, /<b>s<\/b>/);
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more'));
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  });

  it('serves the same messages as JSON', async () => {
    const { app } = await devApp(false);
    const res = await app.request('/dev/outbox.json');
    assert.equal(res.status, 200);
    const body = (await res.json()) as { items: { channel: string; to: string; text: string; at: string }[]; total: number };
    assert.equal(body.total, 2);
    assert.deepEqual(
      body.items.map((i) => [i.channel, i.to, i.text]),
      [
        ['sms', '+15550100', 'Code 222222'],
        ['email', 'ann@example.com', 'Code 111111'],
      ],
    );
  });

  it('says so when every channel is configured and nothing uses the outbox', async () => {
    const delivery = createDelivery(
      { ...base, smtpUrl: 'smtp://127.0.0.1:1', smsWebhookUrl: 'http://127.0.0.1:1/', botWebhookUrl: 'http://127.0.0.1:1/' },
      silent,
    );
    const app = outboxRoutes(delivery, { production: false, trustedProxies: [] });
    assert.match(await (await app.request('/dev/outbox')).text(), /nothing goes to the outbox/);
    assert.deepEqual(await (await app.request('/dev/outbox.json')).json(), { items: [], total: 0 });
  });

  for (const path of ['/dev/outbox', '/dev/outbox.json']) {
    it(`${path} is 404 with the JSON error shape in production mode, and shows no code`, async () => {
      const { app } = await devApp(true);
      const res = await app.request(path);
      assert.equal(res.status, 404);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      const text = await res.text();
      assert.equal((JSON.parse(text) as { error: { code: string } }).error.code, 'not_found');
      assert.ok(!text.includes('111111') && !text.includes('222222'));
    });
  }

  // A socket peer as @hono/node-server provides it to getConnInfo.
  const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress, remoteFamily: remoteAddress.includes(':') ? 'IPv6' : 'IPv4' } } });

  it('answers loopback clients only: a development server on a public address does not hand out codes', async () => {
    const { app } = await devApp(false);
    for (const address of ['127.0.0.1', '127.0.0.53', '::1', '::ffff:127.0.0.1']) {
      const res = await app.request('/dev/outbox.json', {}, from(address));
      assert.equal(res.status, 200, address);
      assert.equal(((await res.json()) as { total: number }).total, 2);
    }
    for (const address of ['192.0.2.10', '10.0.0.5', '2001:db8::1', 'not-an-address']) {
      for (const path of ['/dev/outbox', '/dev/outbox.json']) {
        const res = await app.request(path, {}, from(address));
        assert.equal(res.status, 404, `${path} from ${address}`);
        assert.ok(!(await res.text()).includes('111111'));
      }
    }
  });

  it('behind a trusted proxy, believes the client it names and not its own loopback address', async () => {
    const { app } = await devApp(false, [ipaddr.parseCIDR('127.0.0.1/32')]);
    const viaProxy = (xff: string) => app.request('/dev/outbox.json', { headers: { 'x-forwarded-for': xff } }, from('127.0.0.1'));
    assert.equal((await viaProxy('203.0.113.7')).status, 404);
    assert.equal((await viaProxy('unknown')).status, 404);
    assert.equal((await viaProxy('127.0.0.1')).status, 200);
  });
});
