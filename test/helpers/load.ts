import assert from 'node:assert/strict';
import { totp } from '../../server/src/otp/index.js';
import { secretOf } from './tokens.js';

// A write load for fault tests (crash safety, reliability): workers create users, software tokens
// and resources through the admin API of a real server, and every write answered 2xx is kept as
// an acknowledgement, so the test can check afterwards that each one of them is really there.

export type Ack = { kind: 'user'; id: string; login: string } | { kind: 'token'; id: string; secret: Buffer } | { kind: 'resource'; id: string; name: string };

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface Api {
  call<T>(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Answer<T>>;
}

/** Admin API calls as JSON with the given key; `base` is read at each call (ports may change). */
export function adminApi(base: () => string, adminKey: string, timeoutMs = 15_000): Api {
  const auth = { authorization: `Bearer ${adminKey}` };
  return {
    async call<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = auth) {
      const res = await fetch(`${base()}${url}`, {
        method,
        headers: { ...headers, 'content-type': 'application/json' },
        // A request that hangs is a failure of its own kind, not a wait for ever.
        signal: AbortSignal.timeout(timeoutMs),
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let parsed: unknown = {};
      try {
        parsed = text ? JSON.parse(text) : {};
      } catch {
        parsed = { text };
      }
      return { status: res.status, body: parsed as T, headers: res.headers };
    },
  };
}

/** One write, the i-th of a worker: a user, a software token or a resource in turn. */
export async function writeOne(api: Api, n: string, i: number): Promise<{ answer: Answer; ack?: Ack }> {
  if (i % 3 === 0) {
    const answer = await api.call<{ id: string }>('POST', '/api/v1/users', { login: `load-${n}`, email: `load-${n}@example.test` });
    return { answer, ...(answer.status === 201 ? { ack: { kind: 'user', id: answer.body.id, login: `load-${n}` } } : {}) };
  }
  if (i % 3 === 1) {
    const answer = await api.call<{ id: string; otpauthUri: string }>('POST', '/api/v1/tokens', { kind: 'software', type: 'totp', name: `load ${n}` });
    return { answer, ...(answer.status === 201 ? { ack: { kind: 'token', id: answer.body.id, secret: secretOf(answer.body.otpauthUri) } } : {}) };
  }
  const answer = await api.call<{ id: string }>('POST', '/api/v1/resources', { name: `Load ${n}`, allowedOrigins: ['https://shop.example'] });
  return { answer, ...(answer.status === 201 ? { ack: { kind: 'resource', id: answer.body.id, name: `Load ${n}` } } : {}) };
}

export interface LoadResult {
  acks: Ack[];
  /** Answers by HTTP status. */
  statuses: Record<number, number>;
  /** Requests that got no answer, by error (e.g. ECONNREFUSED, ECONNRESET, TimeoutError). */
  failures: Record<string, number>;
}

export interface LoadOptions {
  workers: number;
  /** Distinguishes the logins and names of one run from another's. */
  prefix: string;
  /** Workers stop once this returns true (checked before each request). */
  stop: () => boolean;
  /** Each worker stops after this many requests whatever happens (a bound, not a goal). */
  maxPerWorker?: number;
  /** A worker stops at its first request without an answer (the server is gone). */
  stopOnFailure?: boolean;
  onAnswer?: (answer: Answer, ack: Ack | undefined, result: LoadResult) => void;
  onFailure?: (reason: string, result: LoadResult) => void;
}

/** What a failed fetch says went wrong, in one word. */
export function failureReason(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string; name?: string; cause?: { code?: string } } };
  return e.cause?.code ?? e.cause?.cause?.code ?? e.code ?? e.cause?.name ?? e.name ?? 'unknown';
}

export async function runLoad(api: Api, opts: LoadOptions): Promise<LoadResult> {
  const result: LoadResult = { acks: [], statuses: {}, failures: {} };
  const max = opts.maxPerWorker ?? 100_000;
  const worker = async (w: number) => {
    for (let i = 0; i < max && !opts.stop(); i++) {
      try {
        const { answer, ack } = await writeOne(api, `${opts.prefix}-${w}-${i}`, i);
        result.statuses[answer.status] = (result.statuses[answer.status] ?? 0) + 1;
        if (ack) result.acks.push(ack);
        opts.onAnswer?.(answer, ack, result);
      } catch (err) {
        const reason = failureReason(err);
        result.failures[reason] = (result.failures[reason] ?? 0) + 1;
        opts.onFailure?.(reason, result);
        if (opts.stopOnFailure) return;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.workers }, (_, w) => worker(w)));
  return result;
}

async function listAll<T>(api: Api, what: string): Promise<{ items: T[]; total: number }> {
  const items: T[] = [];
  let total = 0;
  // Bounded: at most 1000 pages of 500.
  for (let page = 0; page < 1000; page++) {
    const res = await api.call<{ items: T[]; total: number }>('GET', `/api/v1/${what}?limit=500&start=${page * 500}`);
    assert.equal(res.status, 200, `listing ${what}: ${JSON.stringify(res.body)}`);
    items.push(...res.body.items);
    total = res.body.total;
    if (res.body.items.length < 500) break;
  }
  return { items, total };
}

/** Every acknowledged write is there, whole: the newest tokens' secrets still give valid codes. */
export async function assertPresent(api: Api, acks: Ack[]): Promise<void> {
  const users = new Map((await listAll<{ id: string; login: string }>(api, 'users')).items.map((u) => [u.id, u.login]));
  const tokens = await listAll<{ id: string }>(api, 'tokens');
  const resources = new Map((await listAll<{ id: string; name: string }>(api, 'resources')).items.map((r) => [r.id, r.name]));
  const tokenIds = new Set(tokens.items.map((t) => t.id));
  assert.equal(tokens.total, tokens.items.length, 'the kept token count agrees with the rows');
  for (const a of acks) {
    if (a.kind === 'user') assert.equal(users.get(a.id), a.login, `acknowledged user ${a.login} lost`);
    if (a.kind === 'resource') assert.equal(resources.get(a.id), a.name, `acknowledged resource ${a.name} lost`);
    if (a.kind === 'token') assert.ok(tokenIds.has(a.id), `acknowledged token ${a.id} lost`);
  }
  for (const a of acks.filter((x) => x.kind === 'token').slice(-3)) {
    if (a.kind !== 'token') continue;
    const check = await api.call<{ valid: boolean }>('POST', `/api/v1/tokens/${a.id}/check`, {
      otp: totp(a.secret, Date.now(), { algorithm: 'SHA1', digits: 6, period: 30 }),
    });
    assert.deepEqual([check.status, check.body.valid], [200, true], `token ${a.id}`);
  }
}

/** Polls `check` until it returns true, every `everyMs`, failing after `withinMs`. */
export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, withinMs = 20_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${withinMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
