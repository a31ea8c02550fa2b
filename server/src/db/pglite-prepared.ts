// Prepared statements on the embedded PGlite database (DESIGN §9; bench/README.md, issue 17).
//
// PGlite's `query()` sends every statement unnamed: PostgreSQL parses, analyses and plans it anew,
// and the JavaScript side makes six calls into WebAssembly for it (parse, describe statement,
// bind, describe portal, execute, sync). The statements a session runs repeatedly are named here,
// by the same rule as on node-postgres connections (prepared.ts: plain DML seen a second time, at
// most MAX_PREPARED): the first run parses and describes the statement once (one call), and every
// run after that is one call of bind + execute + sync. The row description kept from the first run
// stands in for the portal's describe, and PGlite's own parseResults and type parsers make the
// rows, so the JavaScript values are exactly those of `query()` (pgliteOptions in index.ts).
//
// What `query()` does besides, and is kept: the session is used under PGlite's query mutex (the
// change feed's LISTEN and anything else on the instance wait their turn); a PostgreSQL error is
// thrown as PGlite throws it (a DatabaseError with its SQLSTATE `code`, decorated like
// makePGliteError), after the sync has ended the failed extended-query cycle; notifications are
// delivered by PGlite's protocol handler (execProtocolStream); and outside a transaction block the
// file system is synced after the statement, as `query()` does after every statement.
//
// A statement PostgreSQL can no longer use (a migration changed the result of a `select *`:
// 0A000, or it is gone: 26000) is closed and prepared again from its text; outside a transaction
// the statement is then run again (the failed one did nothing), inside one the error is thrown as
// the transaction is aborted anyway. Other schema changes PostgreSQL handles itself: its plan
// cache re-analyses a prepared statement whose tables changed or whose search_path differs.
//
// Prepared statements belong to the session, and a PGlite instance is one session however many
// Kysely instances use it (the tests share one), so the registry is kept per PGlite instance.
import { type PGlite, type Results, messages, parse as pgliteParse, protocol } from '@electric-sql/pglite';
import { isUnusablePrepared, StatementNames } from './prepared.js';

type BackendMessage = messages.BackendMessage;

interface Statement {
  name: string;
  /** Parameter type OIDs (PGlite serialises each value by its type, as `query()` does). */
  paramTypes: number[];
  /** The result's description; undefined for a statement that returns no rows. */
  row: messages.RowDescriptionMessage | undefined;
}

class Session {
  readonly names = new StatementNames();
  readonly statements = new Map<string, Statement>();
}

const sessions = new WeakMap<PGlite, Session>();

const sessionOf = (pglite: PGlite): Session => {
  let session = sessions.get(pglite);
  if (!session) sessions.set(pglite, (session = new Session()));
  return session;
};

const { serialize } = protocol;

/** Runs `text` with `params` on `pglite`: prepared when it is run repeatedly, else through `query()`. */
export async function queryPrepared<T>(pglite: PGlite, text: string, params: readonly unknown[]): Promise<Results<T>> {
  const session = sessionOf(pglite);
  const name = session.names.nameFor(text);
  if (!name) return pglite.query<T>(text, params as unknown[]);
  await pglite._checkReady();
  return pglite.runExclusive(async () => {
    try {
      return await runNamed<T>(pglite, session, name, text, params);
    } catch (err) {
      throw err instanceof messages.DatabaseError ? Object.assign(err, { query: text, params, queryOptions: undefined }) : err;
    }
  });
}

async function runNamed<T>(pglite: PGlite, session: Session, name: string, text: string, params: readonly unknown[]): Promise<Results<T>> {
  let statement = session.statements.get(name) ?? (await prepare(pglite, session, name, text));
  let answer: BackendMessage[];
  try {
    answer = await execute(pglite, statement, params);
  } catch (err) {
    if (!(err instanceof messages.DatabaseError) || !isUnusablePrepared(err.code)) throw err;
    // The failed statement aborted the transaction it was in (a Parse there is refused): then it
    // is prepared again at its next run, and this error is the one to report.
    session.statements.delete(name);
    if (pglite.isInTransaction()) throw err;
    statement = await prepare(pglite, session, name, text);
    answer = await execute(pglite, statement, params);
  }
  // As PGlite's query() does after each statement; inside a transaction block the commit syncs.
  if (!pglite.isInTransaction()) await pglite.syncToFs();
  const result = pgliteParse.parseResults(statement.row ? [statement.row, ...answer] : answer, pglite.parsers)[0];
  return result as Results<T>;
}

/**
 * Parses and describes `text` under `name`. An older statement of that name (one PostgreSQL could
 * no longer use, or one whose first run failed half-way) is closed first; closing a name that does
 * not exist is no error.
 */
async function prepare(pglite: PGlite, session: Session, name: string, text: string): Promise<Statement> {
  const answer = await pglite.execProtocolStream(
    concat([serialize.close({ type: 'S', name }), serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]),
    { syncToFs: false },
  );
  const params = answer.find((m): m is messages.ParameterDescriptionMessage => m instanceof messages.ParameterDescriptionMessage);
  const row = answer.find((m): m is messages.RowDescriptionMessage => m instanceof messages.RowDescriptionMessage);
  const statement: Statement = { name, paramTypes: params?.dataTypeIDs ?? [], row };
  session.statements.set(name, statement);
  return statement;
}

/** Bind + execute + sync in one call into PGlite; throws the statement's DatabaseError, if any. */
function execute(pglite: PGlite, statement: Statement, params: readonly unknown[]): Promise<BackendMessage[]> {
  const values = params.map((value, i) => serializeValue(pglite, statement.paramTypes[i], value));
  return pglite.execProtocolStream(concat([serialize.bind({ statement: statement.name, values }), serialize.execute(), serialize.sync()]), {
    syncToFs: false,
  });
}

// As PGlite's query() serialises a parameter: by the type PostgreSQL inferred for it.
function serializeValue(pglite: PGlite, oid: number | undefined, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const serializer = oid === undefined ? undefined : pglite.serializers[oid];
  return serializer ? serializer(value) : String(value);
}

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
