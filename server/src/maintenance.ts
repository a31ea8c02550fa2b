import { sql } from 'kysely';
import { purgeLoginAttempts } from './auth/login-guard.js';
import { purgeRateWindows } from './auth/rate-windows.js';
import { purgeThrottleWindows } from './auth/throttle.js';
import { purgeExpiredBackups } from './authenticator/backups.js';
import { deleteExpiredJtis } from './jwt/result.js';
import type { Logger } from './logger.js';
import { purgeSessions as purgePortalSessions } from './portal/sessions.js';
import { purgeChallenges } from './tokens/challenges.js';
import { purgePushChallenges } from './tokens/push-challenges.js';
import { purgeTransactions } from './widget/transactions.js';
import type { Db, DatabaseHandle } from './db/index.js';

// Housekeeping that a long-running install needs and no request does on its own: short-lived rows
// nobody reads any more, and on the embedded database the VACUUM that PostgreSQL's autovacuum
// would run (PGlite has no background workers, so dead rows and index entries of hot tables —
// sealed events, token counters, striped row counts — would otherwise pile up for ever).

/** Tables whose rows are updated or deleted on the hot path, so they collect dead tuples. */
export const CHURNING_TABLES = [
  'tokens',
  'events',
  'event_chain_state',
  'row_counts',
  'api_keys',
  'auth_throttle',
  'login_attempts',
  'rate_windows',
  'otp_challenges',
  'push_challenges',
  'widget_transactions',
  'used_jtis',
] as const;

export interface PurgeCounts {
  challenges: number;
  pushChallenges: number;
  throttles: number;
  loginCounters: number;
  rateWindows: number;
  portalSessions: number;
  transactions: number;
  jtis: number;
  appTransfers: number;
}

/**
 * Deletes rows that can no longer change an answer. Each domain owns its purge (what "expired"
 * means is its rule): challenges, throttle windows, login counters, rate windows, portal
 * sessions, widget transactions, jti markers, expired authenticator app transfers.
 */
export async function purgeExpired(db: Db, now: Date): Promise<PurgeCounts> {
  return {
    challenges: await purgeChallenges(db, now),
    pushChallenges: await purgePushChallenges(db, now),
    throttles: await purgeThrottleWindows(db, now),
    loginCounters: await purgeLoginAttempts(db, now),
    rateWindows: await purgeRateWindows(db, now),
    portalSessions: await purgePortalSessions(db, now),
    // The same deletes the widget and /verify run now and then on their own paths.
    transactions: await purgeTransactions(db, now),
    jtis: await deleteExpiredJtis(db, now),
    appTransfers: await purgeExpiredBackups(db, now),
  };
}

/** VACUUM (ANALYZE) of the churning tables, one at a time so requests get the session in between. */
export async function vacuumChurningTables(db: Db): Promise<void> {
  for (const table of CHURNING_TABLES) await sql`vacuum (analyze) ${sql.table(table)}`.execute(db);
}

export interface Maintenance {
  /** Waits for a pass in progress, then stops. */
  stop(): Promise<void>;
}

/**
 * Runs a pass every `intervalMs` (default 10 minutes): the purge on every database, the VACUUM
 * only on PGlite (PostgreSQL's autovacuum does it better there). Failures are logged and retried
 * at the next pass; they never stop the server.
 */
export function startMaintenance(handle: Pick<DatabaseHandle, 'db' | 'kind'>, log: Logger, opts: { intervalMs?: number; now?: () => Date } = {}): Maintenance {
  const { intervalMs = 600_000, now = () => new Date() } = opts;
  let stopped = false;
  let running: Promise<void> | undefined;
  const pass = async () => {
    try {
      const purged = await purgeExpired(handle.db, now());
      if (handle.kind === 'pglite' && !stopped) await vacuumChurningTables(handle.db);
      log.debug({ purged }, 'database maintenance done');
    } catch (err) {
      log.error({ err }, 'database maintenance failed; retrying at the next pass');
    }
  };
  const timer = setInterval(() => {
    running ??= pass().finally(() => (running = undefined));
  }, intervalMs);
  // Maintenance alone must never keep the process alive.
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
