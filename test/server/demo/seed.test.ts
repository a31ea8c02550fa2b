import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ServerType } from '@hono/node-server';
import { seedDemo, type DemoData } from '../../../demo/seed.js';
import { readState, stateFileIn } from '../../../demo/state.js';
import { DEMO_USERS, PORTAL_ADDRESS, SELF_SERVICE_USERS } from '../../../demo/users.js';
import { closeServer, listen } from '../../../server/src/main.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { openTestDb, type TestDb } from '../../helpers/db.js';

// The demo's seed (issue 8): created once through the admin API, found again on every later
// start (nothing duplicated), and recovered without duplicates when its state file is lost.
// serve.test.ts starts the real process.

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'veriframe-demo-'));

describe('demo seed', { timeout: 120_000 }, () => {
  let t: TestDb;
  let api: TestApp;
  let server: ServerType;
  let V: string;
  let dir: string;
  const demoOrigin = 'http://127.0.0.1:8788';

  before(async () => {
    t = await openTestDb('pglite');
    let app: TestApp['app'] | undefined;
    server = await listen(
      { fetch: ((req: Request, env: unknown) => app!.fetch(req, env as never)) as (req: Request) => Response | Promise<Response> },
      0,
      '127.0.0.1',
    );
    V = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    api = await createTestApp(t, { env: { PUBLIC_URL: V } });
    app = api.app;
    dir = tempDir();
  });

  after(async () => {
    await closeServer(server, 1000);
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const seed = (origins = [demoOrigin]) => seedDemo({ apiUrl: V, adminKey: api.adminKey, demoOrigins: origins, stateFile: stateFileIn(dir) });
  const total = async (list: string) => (await api.call('GET', `/api/v1/${list}?limit=1`)).body.total as number;
  // The built-in console resource (migration 0007) is always there; the demo's are counted.
  const counts = async () => ({ resources: (await total('resources')) - 1, users: await total('users'), tokens: await total('tokens') });
  /** Whether the resource credentials work: the auth API checks them before the body (401 vs 400). */
  const credentialsWork = async (r: DemoData['resource']) =>
    (
      await api.request(`/api/v1/auth/${r.id}/prepare`, {
        method: 'POST',
        json: {},
        key: null,
        headers: { authorization: 'Basic ' + Buffer.from(`${r.id}:${r.secret}`).toString('base64') },
      })
    ).status === 400;

  it('creates everything once, then finds it; the state file keeps what was shown once', async () => {
    const first = await seed();
    // 5 tokens of the users + 2 more hardware tokens of the CSV file.
    assert.deepEqual(first.created, { resources: 1, users: 9, tokens: 9 });
    assert.deepEqual(await counts(), { resources: 1, users: 9, tokens: 9 });
    assert.deepEqual(Object.keys(first.users).sort(), DEMO_USERS.map((u) => u.login).sort());
    assert.ok(await credentialsWork(first.resource));

    const file = stateFileIn(dir);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const state = await readState(file);
    assert.equal(state.resource?.secret, first.resource.secret);

    // The cases are what the pages say: frank locked by wrong codes, erin in bypass, pairings made.
    const token = async (login: string) => (await api.call('GET', `/api/v1/tokens/${first.users[login]!.tokenId}`)).body;
    const frank = await token('frank');
    assert.equal(frank.locked, true);
    assert.equal(frank.failedAttempts, 5);
    assert.deepEqual((await token('erin')).bypass, { permanent: true, until: null });
    assert.equal((await token('carol')).serialNumber, 'DEMO-HOTP-0001');
    assert.equal((await token('dave')).type, 'ocra');
    assert.equal((await token('ivan')).type, 'push');
    const paired = (await api.call('GET', `/api/v1/resources/${first.resource.id}/users?limit=50`)).body.items as { login: string; tokenId: string | null }[];
    assert.deepEqual(
      paired.map((u) => [u.login, u.tokenId !== null]).sort(),
      [...DEMO_USERS.map((u) => [u.login, true]), ...SELF_SERVICE_USERS.map((u) => [u.login, false])].sort(),
      'the self-service users are assigned without a token',
    );
    const shop = (await api.call('GET', `/api/v1/resources/${first.resource.id}`)).body as {
      selfService: { enabled: boolean; address: string };
      enrollOnLogin: boolean;
    };
    assert.equal(shop.selfService.enabled, true);
    assert.equal(shop.selfService.address, PORTAL_ADDRESS);
    assert.equal(shop.enrollOnLogin, true);

    const second = await seed();
    assert.deepEqual(second.created, { resources: 0, users: 0, tokens: 0 });
    assert.deepEqual(await counts(), { resources: 1, users: 9, tokens: 9 });
    assert.deepEqual(second.resource, first.resource, 'the saved secret is used again');
    assert.equal(second.users.alice!.otpauthUri, first.users.alice!.otpauthUri);
    assert.equal((await token('frank')).locked, true, 'frank is not locked twice or unlocked');
  });

  it('recovers from a lost state file without duplicating: new secret, reissued software tokens', async () => {
    const before = await seed();
    fs.rmSync(stateFileIn(dir));
    const after = await seed(['http://127.0.0.1:8788', 'http://localhost:9999']);
    assert.deepEqual(after.created, { resources: 0, users: 0, tokens: 0 });
    assert.deepEqual(await counts(), { resources: 1, users: 9, tokens: 9 });
    assert.equal(after.resource.id, before.resource.id);
    assert.notEqual(after.resource.secret, before.resource.secret, 'rotated, since the old one was lost');
    assert.ok(await credentialsWork(after.resource));
    assert.ok(!(await credentialsWork(before.resource)), 'the old secret stopped working');
    assert.equal(after.users.alice!.tokenId, before.users.alice!.tokenId);
    assert.notEqual(after.users.alice!.otpauthUri, before.users.alice!.otpauthUri, 'reissued');
    const resource = (await api.call('GET', `/api/v1/resources/${after.resource.id}`)).body;
    assert.deepEqual(resource.allowedOrigins, ['http://127.0.0.1:8788', 'http://localhost:9999'], 'a new demo origin is added, the old one kept');
  });
});
