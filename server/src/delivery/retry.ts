import { deliveryFailed, type Channel } from './types.js';

/** What one attempt came to; `retry` says whether another attempt could succeed. */
export type AttemptResult = { ok: true } | { ok: false; retry: boolean; reason: string };

export interface RetryPolicy {
  /** Waits between attempts; attempts = delays + 1. */
  delaysMs: readonly number[];
  /** Injectable so tests do not wait. */
  sleep: (ms: number) => Promise<void>;
  onFailedAttempt?: (attempt: number, reason: string, willRetry: boolean) => void;
}

export const DEFAULT_DELAYS_MS = [200, 800] as const;

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `attempt` until it succeeds, says not to retry, or the delays run out. */
export async function withRetries(channel: Channel, attempt: (n: number) => Promise<AttemptResult>, policy: RetryPolicy): Promise<void> {
  const attempts = policy.delaysMs.length + 1;
  for (let n = 1; ; n++) {
    const result = await attempt(n);
    if (result.ok) return;
    const willRetry = result.retry && n < attempts;
    policy.onFailedAttempt?.(n, result.reason, willRetry);
    if (!willRetry) throw deliveryFailed(channel, result.reason, n);
    await policy.sleep(policy.delaysMs[n - 1]!);
  }
}
