import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import { appError } from '../errors.js';
import { errorResponse } from '../http/errors.js';
import { dbPool, httpSeconds, oldestUnsealedSeconds, registry, unsealedEvents } from './index.js';

/** What a pg.Pool tells about itself. */
export interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export interface MetricsDeps {
  db: Db;
  /** VERIFRAME_METRICS_TOKEN; without it GET /metrics does not exist (404). */
  token: string | undefined;
  /** The PostgreSQL pool (none with PGlite, which has one connection). */
  pool?: PoolStats;
  now?: () => Date;
}

/**
 * Times every request by its route pattern (`/api/v1/tokens/:id`, never the path itself, whose
 * ids would make a series per object); requests no route matched count as `unmatched`.
 */
export const httpMetrics: MiddlewareHandler = async (c, next) => {
  const end = httpSeconds.startTimer();
  try {
    await next();
  } finally {
    // Middleware is registered for method ALL; the handler that answered is the last other one.
    const handler = matchedRoutes(c).findLast((r) => r.method !== 'ALL');
    end({ method: c.req.method, route: handler?.path ?? 'unmatched', status: String(c.res.status) });
  }
};

// Both sides hashed first: timingSafeEqual needs equal lengths, and the hashes hide the length.
const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export function metricsRoutes(deps: MetricsDeps) {
  const app = new Hono();
  const token = deps.token;
  if (!token) return app;
  const expected = digest(`Bearer ${token}`);
  app.get('/metrics', async (c) => {
    if (!timingSafeEqual(digest(c.req.header('authorization') ?? ''), expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="veriframe-metrics"');
      return errorResponse(c, appError('unauthorized', { message: 'GET /metrics needs the VERIFRAME_METRICS_TOKEN as a Bearer token.' }));
    }
    await readDatabaseGauges(deps);
    return c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType });
  });
  return app;
}

/**
 * Sealer lag from the database at scrape time: how many events lie past the sealed end of the
 * audit chain, and since when. Cheap: the unsealed events are the few newest, found by id.
 */
async function readDatabaseGauges(deps: MetricsDeps): Promise<void> {
  if (deps.pool) {
    dbPool.set({ state: 'total' }, deps.pool.totalCount);
    dbPool.set({ state: 'idle' }, deps.pool.idleCount);
    dbPool.set({ state: 'waiting' }, deps.pool.waitingCount);
  }
  const row = await deps.db
    .selectFrom('events')
    .select([sql<string>`count(*)`.as('n'), sql<Date | null>`min(created_at)`.as('oldest')])
    .where('id', '>', (eb) => eb.selectFrom('event_chain_state').select('lastSealedId').where('id', '=', 1))
    .executeTakeFirst();
  unsealedEvents.set(Number(row?.n ?? 0));
  const oldest = row?.oldest ? new Date(row.oldest).getTime() : undefined;
  oldestUnsealedSeconds.set(oldest === undefined ? 0 : Math.max(0, ((deps.now?.() ?? new Date()).getTime() - oldest) / 1000));
}
