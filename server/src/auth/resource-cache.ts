import { changeFeedOf, type ChangeFeed } from '../db/changes.js';
import type { LoadedResource } from './types.js';

// A short-lived cache of resources as every authentication reads them first (the credential of
// the HTTP Basic check, the policy, the enabled filters): one round trip fewer per request
// (bench/README.md). Correctness rests on the change feed (db/changes.ts), not on the lifetime:
// an entry is dropped as soon as the notification of its change arrives, on every instance, so a
// rotated secret, a deactivated resource or a changed filter never outlives the notification.
// Nothing is kept while the feed is not live (its connection is down), and a read that was under
// way when any change arrived is not kept either (it may have seen the row before the change).
// The lifetime only bounds what a silent network could hide from the feed's connection.

/** How long an entry is used at most. */
export const RESOURCE_TTL_MS = 5_000;
/** Entries at most (resources are few; the bound guards memory against many distinct ids). */
const MAX_ENTRIES = 1_000;

export class ResourceCache {
  readonly #entries = new Map<string, { loaded: LoadedResource; expires: number }>();
  #generation = 0;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly clock: () => number = Date.now,
  ) {
    feed.subscribe((change) => {
      this.#generation++;
      if (change.kind === 'reset') this.#entries.clear();
      else this.#entries.delete(change.id);
    });
  }

  /** The resource `id` from the cache, or from `read` (kept when nothing changed meanwhile). */
  async get(id: string, read: () => Promise<LoadedResource | undefined>): Promise<LoadedResource | undefined> {
    if (!this.feed.live) return read();
    const hit = this.#entries.get(id);
    if (hit && hit.expires > this.clock()) return hit.loaded;
    const generation = this.#generation;
    const loaded = await read();
    if (loaded && generation === this.#generation && this.feed.live) {
      if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
      // Shared by every request: frozen, so no request can change what the next one sees.
      Object.freeze(loaded.resource);
      for (const f of loaded.filters) Object.freeze(f);
      Object.freeze(loaded.filters);
      this.#entries.set(id, { loaded: Object.freeze(loaded), expires: this.clock() + RESOURCE_TTL_MS });
    }
    return loaded;
  }
}

const caches = new WeakMap<object, ResourceCache>();

/** The cache of a database handle that has a change feed; none (read every time) otherwise. */
export function resourceCacheOf(db: object): ResourceCache | undefined {
  let cache = caches.get(db);
  if (!cache) {
    const feed = changeFeedOf(db);
    if (!feed) return undefined;
    caches.set(db, (cache = new ResourceCache(feed)));
  }
  return cache;
}
