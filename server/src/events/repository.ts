import { sql } from 'kysely';
import { eventInScope } from '../access/predicates.js';
import type { Scope } from '../access/scope.js';
import type { Db } from '../db/index.js';
import { likePattern } from '../db/like.js';
import { readRowCount } from '../db/row-counter.js';
import { nextCursor, pageKey, type CursorKey } from '../http/paging.js';

export interface NewEvent {
  type: string;
  actor: string;
  actorAdminId?: string | null;
  resourceId?: string | null;
  userId?: string | null;
  tokenId?: string | null;
  ip?: string | null;
  result?: 'success' | 'failure' | null;
  reason?: string | null;
  /** Never secrets, codes, PINs or passwords: events are readable by administrators. */
  details?: Record<string, unknown>;
}

// Events are appended freely; a sealer chains committed rows later (DESIGN §3), so writing an
// event takes no lock and never waits for the chain.
//
// Outside a transaction, events that arrive while another event INSERT of the same database
// handle is in flight wait for it and then go together as one multi-row INSERT: under load many
// requests share one statement and one commit (the authentication hot path writes one or two
// events per request), while a lone event is written at once, as before. Every caller still
// awaits the commit of its own event, so an answer is never sent before its event is stored.
// Inside a transaction the event is part of it, and is written at once.
export async function appendEvent(db: Db, event: NewEvent): Promise<void> {
  const row = eventRow(event);
  if (db.isTransaction) {
    await db.insertInto('events').values(row).execute();
    return;
  }
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = eventWriter(db)));
  await writer.append(row);
}

const eventRow = (event: NewEvent) => ({
  type: event.type,
  actor: event.actor,
  actorAdminId: event.actorAdminId ?? null,
  resourceId: event.resourceId ?? null,
  userId: event.userId ?? null,
  tokenId: event.tokenId ?? null,
  ip: event.ip ?? null,
  result: event.result ?? null,
  reason: event.reason ?? null,
  details: JSON.stringify(event.details ?? {}),
});

type EventRow = ReturnType<typeof eventRow>;

type EventWriter = { append(row: EventRow): Promise<void> };

const writers = new WeakMap<Db, EventWriter>();
// Rows per INSERT: a bound on one statement's size, far above what concurrent requests queue up.
const MAX_BATCH = 500;

/** Group commit for events of one database handle: one INSERT in flight, the next one gathering. */
function eventWriter(db: Db): EventWriter {
  const queue: { row: EventRow; done: (err?: unknown) => void }[] = [];
  let busy = false;

  const insert = (rows: EventRow[]) => db.insertInto('events').values(rows).execute();
  const drain = async () => {
    busy = true;
    try {
      while (queue.length) {
        const batch = queue.splice(0, MAX_BATCH);
        try {
          await insert(batch.map((e) => e.row));
          for (const e of batch) e.done();
        } catch (err) {
          if (batch.length === 1) {
            batch[0]!.done(err);
            continue;
          }
          // One bad row must not fail its neighbours: each is tried alone, and fails alone (the
          // failed statement inserted nothing, so nothing is written twice).
          for (const e of batch)
            await insert([e.row]).then(
              () => e.done(),
              (rowErr: unknown) => e.done(rowErr ?? err),
            );
        }
      }
    } finally {
      busy = false;
    }
  };

  return {
    append: (row) =>
      new Promise((resolve, reject) => {
        queue.push({ row, done: (err) => (err === undefined ? resolve() : reject(err)) });
        if (!busy) void drain();
      }),
  };
}

/** Appends many events in one statement (imports). */
export async function appendEvents(db: Db, events: NewEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) {
    await db
      .insertInto('events')
      .values(events.slice(i, i + 1000).map(eventRow))
      .execute();
  }
}

export interface EventQuery {
  tokenId?: string;
  userId?: string;
  resourceId?: string;
  type?: string;
  search?: string;
  /** created_at ≥ from */
  from?: Date;
  /** created_at ≤ to */
  to?: Date;
  scope?: Scope;
  start: number;
  limit: number;
  /** Keyset paging: after this cursor's event instead of `start` (http/paging.ts). */
  cursor?: string | undefined;
}

/** Newest first; `search` matches the type, reason, actor or IP; `scope` as `eventInScope` says. */
export async function listEvents(db: Db, q: EventQuery) {
  let base = db.selectFrom('events');
  if (q.tokenId) base = base.where('tokenId', '=', q.tokenId);
  if (q.userId) base = base.where('userId', '=', q.userId);
  if (q.resourceId) base = base.where('resourceId', '=', q.resourceId);
  if (q.type) base = base.where('type', '=', q.type);
  if (q.from) base = base.where('createdAt', '>=', q.from);
  if (q.to) base = base.where('createdAt', '<=', q.to);
  if (q.search) {
    const pattern = likePattern(q.search);
    base = base.where((eb) =>
      eb.or([
        eb(sql`lower(type)`, 'like', pattern),
        eb(sql`lower(reason)`, 'like', pattern),
        eb(sql`lower(actor)`, 'like', pattern),
        eb(sql`lower(ip)`, 'like', pattern),
      ]),
    );
  }
  const scope = q.scope;
  if (scope && !scope.all) base = base.where(eventInScope(scope));
  // The page walks the primary key backwards from the cursor (or after `start` rows: OFFSET reads
  // what it skips) and stops after limit rows. Without any
  // filter (the superuser's audit log) the exact total comes from the counter that triggers keep
  // in the same transaction as every insert (migration 0004) instead of count(*) over the whole
  // log; with filters it is count(*) over the matches (indexed for resource, user, token, type).
  const after = pageKey(q, ['bigint']);
  const unfiltered = !q.tokenId && !q.userId && !q.resourceId && !q.type && !q.from && !q.to && !q.search && (!scope || scope.all);
  const [items, total] = await Promise.all([
    (after ? base.where('id', '<', after[0]!) : base)
      .selectAll()
      .select(sql<CursorKey>`array[id::text]`.as('pageKey'))
      .orderBy('id', 'desc')
      .offset(after ? 0 : q.start)
      .limit(q.limit)
      .execute(),
    unfiltered
      ? readRowCount(db, 'events')
      : base
          .select(sql<string>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
          .then((r) => Number(r.n)),
  ]);
  return { items: items.map(({ pageKey: _, ...row }) => row), total, next: nextCursor(items, q.limit) };
}
