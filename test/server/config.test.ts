import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../server/src/config.js';
import { configFailure } from '../helpers/config.js';

const key = Buffer.alloc(32, 7).toString('base64');

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({}, '/srv/app');
    assert.equal(c.port, 8787);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.demoPort, 8788);
    assert.equal(c.publicUrl, 'http://127.0.0.1:8787');
    assert.deepEqual(c.database, { kind: 'pglite-file', dataDir: '/srv/app/.veriframe' });
    assert.equal(c.autoMigrate, true);
    assert.equal(c.resourceCache, true);
    assert.equal(c.logLevel, 'info');
    assert.deepEqual(c.trustedProxies, []);
    assert.equal(c.masterKey, undefined);
    assert.equal(c.production, false);
  });

  it('reads good values', () => {
    const c = loadConfig(
      {
        PORT: '9000',
        HOST: '0.0.0.0',
        DEMO_PORT: '9001',
        PUBLIC_URL: 'https://mfa.example.com/',
        DATABASE_URL: 'postgres://u:p@db.internal:5432/vf',
        VERIFRAME_MASTER_KEY: key,
        VERIFRAME_ADMIN_KEY: 'vf_' + 'a'.repeat(40),
        VERIFRAME_AUTO_MIGRATE: 'false',
        VERIFRAME_RESOURCE_CACHE: 'false',
        VERIFRAME_DATA_DIR: 'data',
        TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.1, ::1, fd00::/8',
        SMTP_URL: 'smtp://u:p@mail:587',
        SMS_WEBHOOK_URL: 'https://sms.example.com/send',
        LOG_LEVEL: 'debug',
        NODE_ENV: 'production',
      },
      '/srv/app',
    );
    assert.equal(c.port, 9000);
    assert.equal(c.demoPort, 9001);
    assert.equal(c.publicUrl, 'https://mfa.example.com');
    assert.deepEqual(c.database, { kind: 'postgres', url: 'postgres://u:p@db.internal:5432/vf' });
    assert.equal(c.dataDir, '/srv/app/data');
    assert.equal(c.masterKey?.length, 32);
    assert.equal(c.autoMigrate, false);
    assert.equal(c.resourceCache, false);
    assert.deepEqual(
      c.trustedProxies.map(([addr, bits]) => `${addr.toString()}/${bits}`),
      ['10.0.0.0/8', '192.168.1.1/32', '::1/128', 'fd00::/8'],
    );
    assert.equal(c.logLevel, 'debug');
    assert.equal(c.production, true);
  });

  it('treats an empty variable as unset and knows pglite://memory', () => {
    const c = loadConfig({ PORT: '', DATABASE_URL: 'pglite://memory' }, '/srv/app');
    assert.equal(c.port, 8787);
    assert.deepEqual(c.database, { kind: 'pglite-memory' });
  });

  it('names the variable and what is expected, in one line', () => {
    assert.equal(configFailure({ PORT: 'abc' }), 'PORT must be a port number 1-65535, got "abc"');
    assert.equal(configFailure({ PORT: '0' }), 'PORT must be a port number 1-65535, got "0"');
    assert.equal(configFailure({ DEMO_PORT: '65536' }), 'DEMO_PORT must be a port number 1-65535, got "65536"');
    assert.equal(configFailure({ LOG_LEVEL: 'loud' }), 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"');
    assert.equal(configFailure({ VERIFRAME_AUTO_MIGRATE: 'maybe' }), 'VERIFRAME_AUTO_MIGRATE must be true or false, got "maybe"');
    assert.match(configFailure({ PUBLIC_URL: 'ftp://x' }), /^PUBLIC_URL must be an http\(s\) origin/);
    assert.match(configFailure({ PUBLIC_URL: 'https://x.com/login' }), /^PUBLIC_URL must be an http\(s\) origin without path/);
    assert.match(configFailure({ TRUSTED_PROXIES: '10.0.0.0/8,not-an-ip' }), /^TRUSTED_PROXIES must be a comma-separated list/);
    assert.match(configFailure({ TRUSTED_PROXIES: '10.0.0.0/33' }), /^TRUSTED_PROXIES must be/);
    // Loose forms that parsers read differently ("012" is octal 10 to some) are refused.
    for (const loose of ['012.0.0.1', '127.1', '0x7f.0.0.1', '10.1/8', 'fe80::1%eth0/64']) {
      assert.match(configFailure({ TRUSTED_PROXIES: loose }), /^TRUSTED_PROXIES must be/, loose);
    }
    assert.match(configFailure({ DATABASE_URL: 'mysql://localhost/x' }), /^DATABASE_URL must be postgres:\/\//);
    assert.match(configFailure({ SMTP_URL: 'http://mail' }), /^SMTP_URL must be a URL like smtp:/);
    assert.equal(configFailure({ PORT: '8787', DEMO_PORT: '8787' }), 'DEMO_PORT must differ from PORT, both are 8787');
    for (const env of [{ PORT: 'abc' }, { LOG_LEVEL: 'x' }] as Record<string, string>[]) assert.doesNotMatch(configFailure(env), /\n/);
  });

  it('takes PostgreSQL over a Unix socket, and says how to write one', () => {
    const url = 'postgres:///vf?host=/var/run/postgresql&user=veriframe';
    assert.deepEqual(loadConfig({ DATABASE_URL: url, VERIFRAME_MASTER_KEY: key }).database, { kind: 'postgres', url });
    assert.match(configFailure({ DATABASE_URL: 'postgres://veriframe@/vf?host=/var/run/postgresql' }), /a Unix socket: postgres:\/\/\/db\?host=/);
  });

  it('requires a master key with PostgreSQL and checks its length', () => {
    assert.match(configFailure({ DATABASE_URL: 'postgres://u@h/db' }), /^VERIFRAME_MASTER_KEY must be set when DATABASE_URL is PostgreSQL/);
    assert.match(configFailure({ VERIFRAME_MASTER_KEY: Buffer.alloc(16).toString('base64') }), /^VERIFRAME_MASTER_KEY must be 32 random bytes in base64/);
  });

  it('never echoes keys or URLs (which may hold passwords) back', () => {
    const secret = 'short-secret-value';
    assert.doesNotMatch(configFailure({ VERIFRAME_ADMIN_KEY: secret }), new RegExp(secret));
    assert.doesNotMatch(configFailure({ VERIFRAME_MASTER_KEY: secret }), new RegExp(secret));
    assert.doesNotMatch(configFailure({ DATABASE_URL: `mysql://u:${secret}@h/db` }), new RegExp(secret));
    assert.match(configFailure({ VERIFRAME_ADMIN_KEY: secret }), /^VERIFRAME_ADMIN_KEY must be at least 32 characters/);
  });

  it('refuses unknown VERIFRAME_ variables, which are usually typos', () => {
    assert.match(configFailure({ VERIFRAME_MASTERKEY: key }), /^VERIFRAME_MASTERKEY is not a Veriframe setting \(known: VERIFRAME_DATA_DIR/);
  });
});
