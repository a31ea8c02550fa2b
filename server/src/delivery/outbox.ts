import { randomUUID } from 'node:crypto';
import type { Message, Outbox, OutboxEntry } from './types.js';

export const OUTBOX_CAPACITY = 50;

/**
 * The development outbox: channels without configuration leave their messages here so a
 * developer (or a test) can read the codes. In memory on purpose: codes must not outlive the
 * process, and a fixed-size ring bounds memory whatever a client makes the server send.
 */
export function createOutbox(opts: { capacity?: number; now?: () => Date } = {}): Outbox {
  const capacity = opts.capacity ?? OUTBOX_CAPACITY;
  const now = opts.now ?? (() => new Date());
  const ring: (OutboxEntry | undefined)[] = new Array(capacity);
  let next = 0; // where the next entry goes; the oldest entry once the ring is full
  let size = 0;

  function list(): OutboxEntry[] {
    const out: OutboxEntry[] = [];
    for (let i = 1; i <= size; i++) out.push(ring[(next - i + capacity) % capacity]!);
    return out;
  }

  return {
    add(m) {
      const entry: OutboxEntry = { ...m, id: randomUUID(), at: now().toISOString() };
      ring[next] = entry;
      next = (next + 1) % capacity;
      size = Math.min(size + 1, capacity);
      return entry;
    },
    list,
    clear() {
      ring.fill(undefined);
      next = 0;
      size = 0;
    },
    latestFor(to) {
      const wanted = to.trim().toLowerCase();
      return list().find((e) => e.to.trim().toLowerCase() === wanted);
    },
  };
}
