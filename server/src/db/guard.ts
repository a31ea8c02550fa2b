// A guard against statements that wait for ever on a silent network (DESIGN §15, Faults).
//
// A network that drops packets instead of refusing them (a partition, a frozen failover, a NAT
// that forgot the connection) gives neither an error nor an answer: the statement would wait for
// TCP keep-alive, for minutes, and with it the request. A statement can also just be slow (a
// big delete, a lock wait), which looks the same from here. So when a statement is still
// unanswered after the limit, a fresh connection asks PostgreSQL whether the session running it
// is busy: if so it is given another period; if the session is idle (the statement or its answer
// was lost on the way) or PostgreSQL cannot be reached, the connection is ended, which fails the
// statement as a lost connection (503) and makes the pool discard it.
import pg from 'pg';

/** How long the probe itself may take. */
const PROBE_TIMEOUT_MS = 3_000;

export interface QueryLimit {
  /** 0 = no guard (migrations at start may legitimately take long). */
  ms: number;
}

type Probe = (pid: number) => Promise<'busy' | 'lost' | 'unknown'>;

/** Asks a new connection what the session `pid` is doing. */
export function probeWith(config: pg.ClientConfig): Probe {
  return async (pid) => {
    const client = new pg.Client({ ...config, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
    client.on('error', () => {});
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'lost'>((resolve) => (timer = setTimeout(() => resolve('lost'), PROBE_TIMEOUT_MS)));
    const ask = (async () => {
      await client.connect();
      const { rows } = await client.query<{ state: string | null }>('select state from pg_stat_activity where pid = $1', [pid]);
      // Behind a pooler the pid is not PostgreSQL's: nothing to go on, so nothing is ended.
      if (!rows[0]) return 'unknown' as const;
      return rows[0].state === 'active' ? ('busy' as const) : ('lost' as const);
    })().catch(() => 'lost' as const);
    try {
      return await Promise.race([ask, timeout]);
    } finally {
      clearTimeout(timer);
      destroy(client);
    }
  };
}

function destroy(client: pg.ClientBase): void {
  // node-postgres has no public way to drop a connection whose peer is silent (end() waits for
  // the peer); destroying the socket ends it now and fails the statement in flight.
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

/** Makes `client` end its connection when a statement stays unanswered on a lost connection. */
export function guardQueries(client: pg.PoolClient, limit: QueryLimit, probe: Probe): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const result = query(...args);
    if (!limit.ms || !(result instanceof Promise)) return result;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      timer = setTimeout(() => {
        const pid = (client as unknown as { processID?: number | null }).processID;
        void (pid ? probe(pid) : Promise.resolve('lost' as const)).then((state) => {
          if (done) return;
          if (state === 'lost') destroy(client);
          else arm();
        });
      }, limit.ms);
      timer.unref();
    };
    arm();
    return result.finally(() => {
      done = true;
      clearTimeout(timer);
    });
  };
}
