import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import ipaddr from 'ipaddr.js';
import type { Config } from '../../../server/src/config.js';
import { clientIp, normaliseIp, requestClientIp } from '../../../server/src/http/client-ip.js';

// The same parsing TRUSTED_PROXIES gets in config.ts.
const proxies = (...cidrs: string[]): Config['trustedProxies'] =>
  cidrs.map((c) => (c.includes('/') ? ipaddr.parseCIDR(c) : [ipaddr.parse(c), ipaddr.parse(c).kind() === 'ipv4' ? 32 : 128]));

describe('clientIp without trusted proxies', () => {
  it('is the socket address and ignores X-Forwarded-For (no spoofing)', () => {
    assert.equal(clientIp('203.0.113.7', undefined, []), '203.0.113.7');
    assert.equal(clientIp('203.0.113.7', '198.51.100.1', []), '203.0.113.7');
    assert.equal(clientIp('203.0.113.7', '10.0.0.1, 127.0.0.1', []), '203.0.113.7');
  });

  it('ignores X-Forwarded-For from a peer that is not one of the trusted proxies', () => {
    assert.equal(clientIp('203.0.113.7', '198.51.100.1', proxies('10.0.0.0/8')), '203.0.113.7');
  });

  it('normalises the socket address and refuses a missing or garbage one', () => {
    assert.equal(clientIp('::ffff:203.0.113.7', undefined, []), '203.0.113.7');
    assert.equal(clientIp('2001:DB8:0:0::1', undefined, []), '2001:db8::1');
    assert.equal(clientIp('fe80::1%eth0', undefined, []), 'fe80::1');
    assert.equal(clientIp(undefined, '198.51.100.1', proxies('0.0.0.0/0')), null);
    assert.equal(clientIp('', undefined, []), null);
    assert.equal(clientIp('not-an-ip', undefined, []), null);
  });
});

describe('clientIp behind trusted proxies', () => {
  const lb = proxies('10.0.0.0/8');

  it('takes the rightmost hop not added by a trusted proxy', () => {
    assert.equal(clientIp('10.0.0.2', '198.51.100.9', lb), '198.51.100.9');
  });

  it('ignores whatever the client put on the left', () => {
    // The client sent "X-Forwarded-For: 1.1.1.1"; our proxy appended the real peer.
    assert.equal(clientIp('10.0.0.2', '1.1.1.1, 198.51.100.9', lb), '198.51.100.9');
    // Even a fake "trusted" address on the left cannot hide the real peer.
    assert.equal(clientIp('10.0.0.2', '10.9.9.9, 198.51.100.9', lb), '198.51.100.9');
    // Garbage on the left is never read.
    assert.equal(clientIp('10.0.0.2', 'evil<script>, 198.51.100.9', lb), '198.51.100.9');
  });

  it('walks a chain of two trusted proxies', () => {
    const two = proxies('10.0.0.0/8', '192.0.2.10');
    // client → CDN edge 192.0.2.10 → load balancer 10.0.0.2 → us
    assert.equal(clientIp('10.0.0.2', '1.1.1.1, 198.51.100.9, 192.0.2.10', two), '198.51.100.9');
    // Only the load balancer trusted: the CDN edge is the client as far as we can tell.
    assert.equal(clientIp('10.0.0.2', '198.51.100.9, 192.0.2.10', lb), '192.0.2.10');
  });

  it('uses the peer when a trusted proxy sent no header, and the leftmost hop when all are trusted', () => {
    assert.equal(clientIp('10.0.0.2', undefined, lb), '10.0.0.2');
    assert.equal(clientIp('10.0.0.2', '  ', lb), '10.0.0.2');
    assert.equal(clientIp('10.0.0.2', '10.1.1.1, 10.0.0.3', lb), '10.1.1.1');
  });

  it('handles IPv6 and IPv4-mapped addresses on both sides', () => {
    const v6 = proxies('fd00::/8');
    assert.equal(clientIp('fd00::2', '2001:DB8::0:7', v6), '2001:db8::7');
    assert.equal(clientIp('fd00::2', '[2001:db8::7]:51234', v6), '2001:db8::7');
    assert.equal(clientIp('fd00::2', '::ffff:198.51.100.9', v6), '198.51.100.9');
    // Node reports an IPv4 peer on a dual-stack socket as ::ffff:a.b.c.d; an IPv4 range still trusts it.
    assert.equal(clientIp('::ffff:10.0.0.2', '198.51.100.9', lb), '198.51.100.9');
    // A range written as mapped IPv6 trusts the IPv4 peer too.
    assert.equal(clientIp('10.0.0.2', '198.51.100.9', proxies('::ffff:10.0.0.0/104')), '198.51.100.9');
    // IPv4 ranges never trust IPv6 peers.
    assert.equal(clientIp('2001:db8::2', '198.51.100.9', lb), '2001:db8::2');
  });

  it('strips ports and brackets that proxies add', () => {
    assert.equal(clientIp('10.0.0.2', '198.51.100.9:443', lb), '198.51.100.9');
    assert.equal(clientIp('10.0.0.2', '[::ffff:198.51.100.9]', lb), '198.51.100.9');
  });

  it('answers unknown (null) for garbage where the client address should be', () => {
    for (const bad of [
      'unknown',
      '_hidden',
      '198.51.100',
      '127.1',
      '0x7f.0.0.1',
      '010.0.0.1',
      '::ffff:0x1.2.3.4',
      '[198.51.100.9]',
      '198.51.100.9:443:1',
      '1.2.3.4 5.6.7.8',
    ]) {
      assert.equal(clientIp('10.0.0.2', bad, lb), null, bad);
      assert.equal(clientIp('10.0.0.2', `203.0.113.1, ${bad}`, lb), null, bad);
    }
    // Garbage between trusted hops is just as unknown; never the proxy's own address.
    assert.equal(clientIp('10.0.0.2', '198.51.100.9, unknown, 10.0.0.3', lb), null);
    // Empty entries (joined headers) are no claim at all.
    assert.equal(clientIp('10.0.0.2', '198.51.100.9,, ', lb), '198.51.100.9');
  });
});

describe('normaliseIp', () => {
  it('gives one canonical text per address', () => {
    assert.equal(normaliseIp('::ffff:1.2.3.4'), '1.2.3.4');
    assert.equal(normaliseIp('::FFFF:0102:0304'), '1.2.3.4');
    assert.equal(normaliseIp('2001:0db8:0000::0001'), '2001:db8::1');
    assert.equal(normaliseIp(' 1.2.3.4 '), '1.2.3.4');
    assert.equal(normaliseIp('1.2.3.4/32'), null);
    assert.equal(normaliseIp('::1.2.3'), null);
  });
});

describe('requestClientIp', () => {
  const app = new Hono();
  const trusted = proxies('127.0.0.1', '::1');
  app.get('/ip', (c) => c.json({ ip: requestClientIp(c, trusted) }));
  const untrustingApp = new Hono();
  untrustingApp.get('/ip', (c) => c.json({ ip: requestClientIp(c, []) }));

  it('is null under app.request() without a socket', async () => {
    const res = await app.request('/ip', { headers: { 'X-Forwarded-For': '198.51.100.9' } });
    assert.deepEqual(await res.json(), { ip: null });
  });

  it('reads the socket from the env the Node adapter passes', async () => {
    const env = { incoming: { socket: { remoteAddress: '::ffff:127.0.0.1' } } };
    const res = await app.request('/ip', { headers: { 'X-Forwarded-For': '1.1.1.1, 198.51.100.9' } }, env);
    assert.deepEqual(await res.json(), { ip: '198.51.100.9' });
  });

  it('uses the real socket over HTTP, honouring or refusing X-Forwarded-For', async () => {
    for (const [handler, expected] of [
      [app, '198.51.100.9'],
      [untrustingApp, '127.0.0.1'],
    ] as const) {
      const server = serve({ fetch: handler.fetch, port: 0, hostname: '127.0.0.1' });
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const { port } = server.address() as { port: number };
        const res = await fetch(`http://127.0.0.1:${port}/ip`, { headers: { 'X-Forwarded-For': '198.51.100.9' } });
        assert.deepEqual(await res.json(), { ip: expected });
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    }
  });
});
