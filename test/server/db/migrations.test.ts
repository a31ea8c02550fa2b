import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NO_MIGRATIONS, sql } from 'kysely';
import { createMigrator, migrateToLatest } from '../../../server/src/db/index.js';
import { migrations } from '../../../server/src/db/migrations/index.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';

// The ciphertext itself does not matter to the schema.
const secretEnc = Buffer.alloc(40, 1);

const expectedTables = [
  'admins',
  'admin_resources',
  'api_keys',
  'resources',
  'users',
  'tokens',
  'resource_users',
  'resource_tokens',
  'resource_user_tokens',
  'filters',
  'events',
  'event_chain_state',
  'widget_transactions',
  'otp_challenges',
  'signing_keys',
  'used_jtis',
  'auth_throttle',
  'system_settings',
];

async function tables(t: TestDb): Promise<string[]> {
  const rows = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = ${t.schema}`.execute(t.db);
  return rows.rows.map((r) => r.name);
}

async function sqlState(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
}

for (const mode of dbModes()) {
  describe(`migrations (${mode})`, () => {
    let t: TestDb;
    before(async () => (t = await openTestDb(mode, { migrate: false })));
    after(() => t.close());

    it('creates the whole schema, and a second run applies nothing', async () => {
      const first = await migrateToLatest(t.db, t.schema);
      assert.deepEqual(
        first.results?.map((r) => r.migrationName),
        Object.keys(migrations).sort(),
      );
      const present = await tables(t);
      for (const name of expectedTables) assert.ok(present.includes(name), `table ${name} exists`);
      const second = await migrateToLatest(t.db, t.schema);
      assert.deepEqual(second.results, []);
    });

    it('migrates down to nothing and up again', async () => {
      const migrator = createMigrator(t.db, t.schema);
      const down = await migrator.migrateTo(NO_MIGRATIONS);
      assert.equal(down.error, undefined);
      const left = (await tables(t)).filter((n) => !n.startsWith('kysely_'));
      assert.deepEqual(left, []);
      await migrateToLatest(t.db, t.schema);
      assert.ok((await tables(t)).includes('tokens'));
    });

    it('enforces the uniqueness rules of the domain', async () => {
      const resource = await t.db.insertInto('resources').values({ name: 'Shop' }).returning('id').executeTakeFirstOrThrow();
      assert.equal(await sqlState(t.db.insertInto('resources').values({ name: 'Shop' }).execute()), '23505', 'unique resource name');
      const alice = await t.db.insertInto('users').values({ login: 'alice' }).returning('id').executeTakeFirstOrThrow();
      assert.equal(await sqlState(t.db.insertInto('users').values({ login: 'ALICE' }).execute()), '23505', 'logins unique without case');
      const mk = (serialNumber: string) =>
        t.db
          .insertInto('tokens')
          .values({ kind: 'hardware', type: 'hotp', name: serialNumber, serialNumber, userId: alice.id, secretEnc })
          .returning('id')
          .executeTakeFirstOrThrow();
      const tok1 = await mk('SN-1');
      const tok2 = await mk('SN-2');
      assert.equal(await sqlState(mk('SN-1')), '23505', 'unique serial number');
      await t.db.insertInto('resource_user_tokens').values({ resourceId: resource.id, userId: alice.id, tokenId: tok1.id }).execute();
      assert.equal(
        await sqlState(t.db.insertInto('resource_user_tokens').values({ resourceId: resource.id, userId: alice.id, tokenId: tok2.id }).execute()),
        '23505',
        'one token per user per resource',
      );
    });

    it('checks enumerations and ranges in the database too', async () => {
      assert.equal(await sqlState(t.db.insertInto('resources').values({ name: 'Bad limit', failedAttemptsLimit: 11 }).execute()), '23514');
      assert.equal(
        await sqlState(
          t.db
            .insertInto('tokens')
            .values({ kind: 'hardware', type: 'hotp', name: 'x', digits: 7 as never, secretEnc })
            .execute(),
        ),
        '23514',
      );
      assert.equal(
        await sqlState(
          t.db
            .insertInto('tokens')
            .values({ kind: 'magic' as never, type: 'hotp', name: 'x', secretEnc })
            .execute(),
        ),
        '23514',
      );
      assert.equal(
        await sqlState(t.db.insertInto('tokens').values({ kind: 'hardware', type: 'hotp', name: 'no secret' }).execute()),
        '23514',
        'OATH tokens need a secret',
      );
    });

    it('gives tokens the replay, lock, bypass and drift defaults the OTP engine relies on', async () => {
      const tok = await t.db.insertInto('tokens').values({ kind: 'software', type: 'totp', name: 'phone', secretEnc }).returningAll().executeTakeFirstOrThrow();
      assert.equal(String(tok.lastStep), '-1');
      assert.equal(tok.drift, 0);
      assert.equal(tok.failedAttempts, 0);
      assert.equal(tok.locked, false);
      assert.equal(tok.bypassUntil, null);
      assert.equal(tok.bypassPermanent, false);
      assert.equal(tok.active, true);
      assert.equal(tok.algorithm, 'SHA1');
      assert.equal(tok.digits, 6);
      assert.equal(tok.period, 30);
    });

    it('keeps events when the objects they name are deleted, with ids in insertion order', async () => {
      const tok = await t.db.insertInto('tokens').values({ kind: 'software', type: 'totp', name: 'gone', secretEnc }).returning('id').executeTakeFirstOrThrow();
      await t.db.insertInto('events').values({ type: 'token.created', actor: 'test', tokenId: tok.id }).execute();
      await t.db.insertInto('events').values({ type: 'token.deleted', actor: 'test', tokenId: tok.id }).execute();
      await t.db.deleteFrom('tokens').where('id', '=', tok.id).execute();
      const events = await t.db.selectFrom('events').select(['id', 'type']).where('tokenId', '=', tok.id).orderBy('id').execute();
      assert.deepEqual(
        events.map((e) => e.type),
        ['token.created', 'token.deleted'],
      );
      assert.ok(BigInt(events[0]!.id) < BigInt(events[1]!.id));
    });
  });
}
