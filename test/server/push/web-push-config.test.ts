import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import webpush from 'web-push';
import { main } from '../../../server/src/cli/index.js';
import { loadConfig, PUSH_SERVICE_HOSTS } from '../../../server/src/config.js';
import { configFailure } from '../../helpers/config.js';

// The Web Push configuration (VERIFRAME_VAPID_*): both keys or neither, a matching pair, a
// subject the push services accept; the private key never echoed. And `veriframe vapid-keys`.

const pair = webpush.generateVAPIDKeys();
const other = webpush.generateVAPIDKeys();
const keys = { VERIFRAME_VAPID_PUBLIC_KEY: pair.publicKey, VERIFRAME_VAPID_PRIVATE_KEY: pair.privateKey };

describe('Web Push configuration', () => {
  it('is off by default: server-sent events only', () => {
    assert.equal(loadConfig({}, '/srv/app').webPush, undefined);
  });

  it('takes a matching pair with a subject, or PUBLIC_URL when it is https', () => {
    assert.deepEqual(loadConfig({ ...keys, VERIFRAME_VAPID_SUBJECT: 'mailto:ops@example.com' }, '/srv/app').webPush, {
      publicKey: pair.publicKey,
      privateKey: pair.privateKey,
      subject: 'mailto:ops@example.com',
      hosts: PUSH_SERVICE_HOSTS,
    });
    assert.equal(loadConfig({ ...keys, PUBLIC_URL: 'https://mfa.example.com' }, '/srv/app').webPush?.subject, 'https://mfa.example.com');
  });

  it("sends to the browsers' push services unless VERIFRAME_WEB_PUSH_HOSTS names others", () => {
    const env = { ...keys, VERIFRAME_VAPID_SUBJECT: 'mailto:ops@example.com' };
    assert.deepEqual(loadConfig({ ...env, VERIFRAME_WEB_PUSH_HOSTS: ' Push.Example.COM, *.push.example.net ' }, '/srv/app').webPush?.hosts, [
      'push.example.com',
      '*.push.example.net',
    ]);
    for (const bad of [' , ', 'https://push.example.com', 'push.example.com/path', '*.', 'a b']) {
      assert.match(
        configFailure({ ...env, VERIFRAME_WEB_PUSH_HOSTS: bad }),
        /^VERIFRAME_WEB_PUSH_HOSTS must be a comma-separated list of host names/,
        JSON.stringify(bad),
      );
    }
    assert.match(configFailure({ VERIFRAME_WEB_PUSH_HOSTS: 'push.example.com' }), /VERIFRAME_WEB_PUSH_HOSTS needs VERIFRAME_VAPID_PUBLIC_KEY/);
  });

  it('refuses half a configuration, a wrong pair, bad keys and bad subjects, never echoing a key', () => {
    const messages = [
      configFailure({ VERIFRAME_VAPID_PUBLIC_KEY: pair.publicKey, VERIFRAME_VAPID_SUBJECT: 'mailto:ops@example.com' }),
      configFailure({ VERIFRAME_VAPID_PRIVATE_KEY: pair.privateKey, VERIFRAME_VAPID_SUBJECT: 'mailto:ops@example.com' }),
      configFailure({ VERIFRAME_VAPID_SUBJECT: 'mailto:ops@example.com' }),
      configFailure({
        VERIFRAME_VAPID_PUBLIC_KEY: other.publicKey,
        VERIFRAME_VAPID_PRIVATE_KEY: pair.privateKey,
        VERIFRAME_VAPID_SUBJECT: 'mailto:ops@example.com',
      }),
      configFailure({ ...keys, VERIFRAME_VAPID_PRIVATE_KEY: `${pair.privateKey}AA` }),
      configFailure({ ...keys, VERIFRAME_VAPID_PUBLIC_KEY: pair.publicKey.slice(1) }),
      configFailure(keys),
    ];
    assert.match(messages[0]!, /VERIFRAME_VAPID_PUBLIC_KEY and VERIFRAME_VAPID_PRIVATE_KEY must be set together/);
    assert.match(messages[1]!, /must be set together/);
    assert.match(messages[2]!, /VERIFRAME_VAPID_SUBJECT needs/);
    assert.match(messages[3]!, /is not the public key of VERIFRAME_VAPID_PRIVATE_KEY/);
    assert.match(messages[4]!, /^VERIFRAME_VAPID_PRIVATE_KEY must be a P-256 private key.*\(value hidden\)$/);
    assert.match(messages[5]!, /^VERIFRAME_VAPID_PUBLIC_KEY must be an uncompressed P-256 public key/);
    assert.match(messages[6]!, /VERIFRAME_VAPID_SUBJECT must be set .* when PUBLIC_URL is not https/);
    for (const subject of ['http://example.com', 'ops@example.com', 'mailto:nobody']) {
      assert.match(configFailure({ ...keys, VERIFRAME_VAPID_SUBJECT: subject }), /^VERIFRAME_VAPID_SUBJECT must be a mailto: or https: URL/);
    }
    for (const m of messages) assert.ok(!m.includes(pair.privateKey) && !m.includes(pair.publicKey), m);
  });

  it('`veriframe vapid-keys` prints a pair the configuration accepts', async () => {
    const out: string[] = [];
    const code = await main(['vapid-keys'], { out: (l) => out.push(l), err: (l) => out.push(l) }, {});
    assert.equal(code, 0);
    const env = Object.fromEntries(out.filter((l) => !l.startsWith('#')).map((l) => l.split('=', 2) as [string, string]));
    const c = loadConfig(env, '/srv/app');
    assert.equal(c.webPush?.publicKey, env.VERIFRAME_VAPID_PUBLIC_KEY);
    assert.equal(c.webPush?.subject, 'mailto:you@example.com');
    assert.equal(await main(['vapid-keys', 'extra'], { out: () => {}, err: () => {} }, {}), 2);
  });
});
