import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// The process's Prometheus metrics (DESIGN §15), served at GET /metrics (./routes.ts). One
// registry per process, as Prometheus counts per process; the modules that see an event call the
// small functions below, which never throw and never look at secrets. Label values come from
// closed sets (methods, reasons, channels, route patterns), so the number of series stays
// bounded whatever clients send.

export const registry = new Registry();
registry.setDefaultLabels({ app: 'veriframe' });
collectDefaultMetrics({ register: registry, prefix: 'veriframe_' });

const authAttempts = new Counter({
  name: 'veriframe_auth_attempts_total',
  help: 'Authentication attempts (API and widget) by channel, method and outcome: success, or the reason of the refusal',
  labelNames: ['channel', 'method', 'outcome'] as const,
  registers: [registry],
});

const throttles = new Counter({
  name: 'veriframe_auth_throttled_total',
  help: 'Authentication attempts refused because the client or login was throttled',
  labelNames: ['channel'] as const,
  registers: [registry],
});

const lockouts = new Counter({
  name: 'veriframe_token_lockouts_total',
  help: 'Tokens locked by failed attempts (token.locked events), by lock reason',
  labelNames: ['reason'] as const,
  registers: [registry],
});

const deliveries = new Counter({
  name: 'veriframe_deliveries_total',
  help: 'Codes and notices handed to a delivery channel, by channel and outcome (sent or failed)',
  labelNames: ['channel', 'outcome'] as const,
  registers: [registry],
});

const deliverySeconds = new Histogram({
  name: 'veriframe_delivery_duration_seconds',
  help: 'Time to deliver one message, retries included',
  labelNames: ['channel'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
  registers: [registry],
});

export const httpSeconds = new Histogram({
  name: 'veriframe_http_request_duration_seconds',
  help: 'HTTP request latency by method, route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const unsealedEvents = new Gauge({
  name: 'veriframe_audit_unsealed_events',
  help: 'Events not yet sealed into the audit chain (read at scrape time)',
  registers: [registry],
});

export const oldestUnsealedSeconds = new Gauge({
  name: 'veriframe_audit_oldest_unsealed_age_seconds',
  help: 'Age of the oldest event not yet sealed into the audit chain; 0 when all are sealed (sealer lag)',
  registers: [registry],
});

export const dbPool = new Gauge({
  name: 'veriframe_db_pool_connections',
  help: 'PostgreSQL pool: connections open (total), idle, and clients waiting for one (waiting)',
  labelNames: ['state'] as const,
  registers: [registry],
});

/** The fields of an attempt's event (auth/record.ts) that the metrics read. */
export interface AttemptLike {
  actor: string | null;
  result?: string | null;
  reason?: string | null;
  details?: Record<string, unknown>;
}

/** One authentication attempt, from the event that records it. */
export function countAttempt(event: AttemptLike): void {
  const method = typeof event.details?.method === 'string' ? event.details.method : 'unknown';
  const outcome = event.result === 'success' ? 'success' : (event.reason ?? 'failure');
  const channel = event.actor ?? 'unknown';
  authAttempts.inc({ channel, method, outcome });
  if (event.reason === 'throttled') throttles.inc({ channel });
}

/** A token locked by failed attempts (tokens/lockout.ts). */
export function countLockout(reason: string | null): void {
  lockouts.inc({ reason: reason ?? 'failed_attempts' });
}

/** Measures one delivery (delivery/index.ts) and passes its result or error on. */
export async function observeDelivery<T>(channel: string, sending: Promise<T>): Promise<T> {
  const end = deliverySeconds.startTimer({ channel });
  try {
    const result = await sending;
    deliveries.inc({ channel, outcome: 'sent' });
    return result;
  } catch (err) {
    deliveries.inc({ channel, outcome: 'failed' });
    throw err;
  } finally {
    end();
  }
}
