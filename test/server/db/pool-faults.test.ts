import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createPlugins, createPostgresPool } from '../../../server/src/db/index.js';
import { isDatabaseUnavailable } from '../../../server/src/db/faults.js';
import type { Database } from '../../../server/src/db/types.js';
import { startOwnPostgres, type OwnPostgres } from '../../helpers/postgres.js';

// A connection that dies must not end the process (issue 20): node-postgres emits 'error' on the
// pool for an idle client and on the client itself for one checked out between two statements,
// and an 'error' event without a listener is an uncaught exception. Connections are ended from
// the server side with pg_terminate_backend (as a restart or an administrator does), on a
// PostgreSQL of the test's own so no other test's sessions are touched.

describe('pool faults (postgres)', () => {
  let server: OwnPostgres;
  let admin: pg.Client;

  before(async () => {
    server = await startOwnPostgres();
    admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
  });
  after(async () => {
    await admin?.end();
    await server?.destroy();
  });

  const terminate = (pid: number) => admin.query('select pg_terminate_backend($1)', [pid]);

  it('survives idle and checked-out connections being terminated, and reconnects', async () => {
    const warnings: string[] = [];
    const pool = createPostgresPool(server.url, { max: 2, log: { warn: (_obj: unknown, msg?: string) => void warnings.push(String(msg)) } as never });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: createPlugins() });
    try {
      const clients: pg.PoolClient[] = [];
      pool.on('acquire', (c) => clients.push(c));
      const pidOf = async () => (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid;

      // Idle in the pool: the pool's 'error'.
      const idlePid = await pidOf();
      const ended = new Promise((resolve) => clients.at(-1)!.once('end', resolve));
      await terminate(idlePid);
      await ended;
      assert.deepEqual(warnings, ['database connection lost; a new one is opened at the next request']);
      assert.notEqual(await pidOf(), idlePid, 'a new connection');

      // Checked out inside a transaction, between two statements: the client's own 'error'.
      const failure = await db
        .transaction()
        .execute(async (trx) => {
          const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;
          const gone = new Promise((resolve) => clients.at(-1)!.once('end', resolve));
          await terminate(pid);
          await gone;
          await sql`select 1`.execute(trx);
        })
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      assert.ok(isDatabaseUnavailable(failure), `an outage, not a bug: ${String(failure)}`);
      assert.equal((await sql<{ one: number }>`select 1 as one`.execute(db)).rows[0]!.one, 1, 'the pool works again');
    } finally {
      await db.destroy();
    }
  });
  it('ends a connection whose statement went unanswered, and leaves a slow statement alone', async () => {
    const limit = { ms: 300 };
    const pool = createPostgresPool(server.url, { max: 2, limit });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: createPlugins() });
    const clients = new Map<number, pg.PoolClient>();
    pool.on('acquire', (c) => clients.set((c as unknown as { processID: number }).processID, c));
    try {
      // Busy for longer than the limit: PostgreSQL says the session is active, so it may finish.
      const slow = await sql<{ done: boolean }>`select pg_sleep(1.2) is not null as done`.execute(db);
      assert.deepEqual(slow.rows, [{ done: true }]);

      // A statement whose answer never arrives: the client's socket stops delivering data, as
      // on a network that drops packets. PostgreSQL has answered, its session is idle: lost.
      const lost = await db
        .connection()
        .execute(async (conn) => {
          const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(conn)).rows[0]!.pid;
          const client = clients.get(pid)!;
          (client as unknown as { connection: { stream: { pause(): void } } }).connection.stream.pause();
          return sql`select 1`.execute(conn);
        })
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      assert.ok(isDatabaseUnavailable(lost), `a lost connection (503), not a hang: ${String(lost)}`);
      assert.equal((await sql<{ one: number }>`select 1 as one`.execute(db)).rows[0]!.one, 1, 'the pool works again');
    } finally {
      await db.destroy();
    }
  });
});
