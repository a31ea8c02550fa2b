// Notifications of changed resources (migration 0012: a trigger announces every write to
// `resources` and `filters` on the channel `veriframe_resources`), heard by every instance.
//
// PostgreSQL: one connection of its own LISTENs. Notifications sent while it is down are lost,
// so while it is not listening the feed says it is not `live` (the cache then reads through and
// keeps nothing), and when it is listening again it says `reset` (forget everything). It
// reconnects by itself after PostgreSQL restarts or the network fails, like the pool does
// (faults.ts): the process never dies of it. PGlite: the one session hears its own
// notifications, delivered before the writing statement's promise resolves.
import type { PGlite } from '@electric-sql/pglite';
import type { Kysely, Transaction } from 'kysely';
import pg from 'pg';
import type { Logger } from '../logger.js';

export const RESOURCE_CHANNEL = 'veriframe_resources';

/** A resource changed (its id), or anything may have (`reset`: notifications may have been lost). */
export type Change = { kind: 'resource'; id: string } | { kind: 'reset' };

export interface ChangeFeed {
  /** True while every committed change is being heard. */
  readonly live: boolean;
  /** Calls `listener` for each change; returns the unsubscription. */
  subscribe(listener: (change: Change) => void): () => void;
  /** Tells this process's listeners of a change it has just committed (see announceChange). */
  announce(change: Change): void;
  close(): Promise<void>;
}

const changeOf = (payload: string | undefined): Change => (payload && payload !== '*' ? { kind: 'resource', id: payload } : { kind: 'reset' });

/** Subscribers; `start` runs at the first subscription (a CLI command that reads no resource listens to nothing). */
function listeners(start: () => void) {
  const set = new Set<(change: Change) => void>();
  let started = false;
  return {
    subscribe(listener: (change: Change) => void) {
      set.add(listener);
      if (!started) {
        started = true;
        start();
      }
      return () => void set.delete(listener);
    },
    emit(change: Change) {
      for (const l of set) l(change);
    },
  };
}

/** The feed of an embedded database: LISTEN on its single session. */
export function pgliteChangeFeed(pglite: PGlite): ChangeFeed {
  let live = false;
  let closed = false;
  let listening: Promise<(() => Promise<void>) | undefined> | undefined;
  const { subscribe, emit } = listeners(() => {
    listening = pglite
      .listen(RESOURCE_CHANNEL, (payload) => emit(changeOf(payload)))
      .then((unlisten) => {
        live = !closed;
        return unlisten;
      })
      .catch(() => undefined);
  });
  return {
    get live() {
      return live;
    },
    subscribe,
    announce: emit,
    async close() {
      closed = true;
      live = false;
      // PGlite is closed right after: unlistening is only tidiness and must not fail a close.
      const unlisten = await listening;
      await unlisten?.().catch(() => {});
    },
  };
}

/** Reconnection delays: quick at first (a restart), then every few seconds. */
const RETRY_MS = [100, 250, 500, 1_000, 2_000, 5_000];

/** The feed of a PostgreSQL server: a connection of its own that LISTENs, and reconnects. */
export function postgresChangeFeed(config: pg.ClientConfig, log?: Pick<Logger, 'warn' | 'info'>): ChangeFeed {
  let live = false;
  let closed = false;
  let failures = 0;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;

  const down = (c: pg.Client, reason: string) => {
    if (client !== c) return;
    client = undefined;
    c.end().catch(() => {});
    if (live) log?.warn({ reason }, 'resource change notifications lost; resources are read from the database until they are back');
    live = false;
    emit({ kind: 'reset' });
    if (closed) return;
    timer = setTimeout(connect, RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]);
    timer.unref();
  };

  const connect = () => {
    if (closed) return;
    const c = new pg.Client({ ...config, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
    client = c;
    c.on('error', (err) => down(c, err.message));
    c.on('end', () => down(c, 'connection ended'));
    c.on('notification', (msg) => {
      if (msg.channel === RESOURCE_CHANNEL) emit(changeOf(msg.payload));
    });
    c.connect()
      .then(() => c.query(`LISTEN ${RESOURCE_CHANNEL}`))
      .then(() => {
        if (client !== c) return;
        if (failures > 0) log?.info('resource change notifications are back');
        failures = 0;
        live = true;
        // Anything cached before may have changed while nobody listened.
        emit({ kind: 'reset' });
      })
      .catch((err: unknown) => down(c, (err as Error).message));
  };

  const { subscribe, emit } = listeners(connect);
  return {
    get live() {
      return live;
    },
    subscribe,
    announce: emit,
    async close() {
      closed = true;
      live = false;
      clearTimeout(timer);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}

// The feed of each database handle, so that code given only a Db finds it.
const feeds = new WeakMap<object, ChangeFeed>();

export function attachChangeFeed(db: object, feed: ChangeFeed): void {
  feeds.set(db, feed);
}

export const changeFeedOf = (db: object): ChangeFeed | undefined => feeds.get(db);

// Changes announced inside a transaction of transactionWithChanges, told when it has committed.
const pendingIn = new WeakMap<object, Change[]>();

/**
 * A change this process has just committed on `db`, told to its own listeners at once. Other
 * instances hear it by NOTIFY; this one would too, but PostgreSQL delivers a notification
 * asynchronously, so the next request here (an administrator's next call, say) could still meet
 * the cached row. On a transaction of transactionWithChanges it is told after the commit; on
 * any other handle without a feed it does nothing (its notification still comes).
 */
export function announceChange(db: object, change: Change): void {
  const pending = pendingIn.get(db);
  if (pending) pending.push(change);
  else feeds.get(db)?.announce(change);
}

/**
 * `db.transaction().execute(fn)`, with the changes announced inside (announceChange on `trx`)
 * told to this process's listeners once the transaction has committed: not before (a read in
 * between would see the old row and could be kept), and not at all when it rolled back.
 */
export async function transactionWithChanges<DB, T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  const changes: Change[] = [];
  const result = await db.transaction().execute((trx) => {
    pendingIn.set(trx, changes);
    return fn(trx);
  });
  for (const change of changes) announceChange(db, change);
  return result;
}
