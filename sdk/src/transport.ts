import { VeriframeError } from './errors.js';

export type FetchLike = (input: Request) => Promise<Response>;

export interface TransportOptions {
  /** Per attempt, in milliseconds (default 10 000). */
  timeoutMs?: number;
  /** Extra attempts for idempotent calls (GET, HEAD, PUT, DELETE, OPTIONS) after a network error, a timeout or a 502/503/504 (default 2). */
  retries?: number;
  /** Delay before the first retry, doubled each time (default 200 ms). */
  retryDelayMs?: number;
  /** Another fetch (a test double, a proxy agent); default: the global fetch. */
  fetch?: (input: Request) => Promise<Response>;
}

// POST is never retried: an authentication consumes a code and POST /verify consumes the token,
// so a second attempt after a lost answer could act twice (or report a false `replayed`).
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRY_STATUS = new Set([502, 503, 504]);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A fetch with a timeout per attempt and retries where a call is idempotent. */
export function policyFetch(opts: TransportOptions = {}): FetchLike {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const retries = opts.retries ?? 2;
  const delay = opts.retryDelayMs ?? 200;
  const inner = opts.fetch ?? ((req: Request) => fetch(req));
  return async (request) => {
    const attempts = IDEMPOTENT.has(request.method) ? retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= attempts;
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
      try {
        const res = await inner(new Request(last ? request : request.clone(), { signal }));
        if (last || !RETRY_STATUS.has(res.status)) return res;
        await res.body?.cancel();
      } catch (err) {
        if (request.signal?.aborted) throw err;
        const failure = timeout.aborted
          ? new VeriframeError('timeout', `${request.method} ${new URL(request.url).pathname}: no answer within ${timeoutMs} ms`, { cause: err })
          : new VeriframeError('network_error', `${request.method} ${new URL(request.url).pathname}: ${(err as Error).message}`, { cause: err });
        if (last) throw failure;
      }
      await sleep(delay * 2 ** (attempt - 1));
    }
  };
}
