// The resource cache of the authentication hot path (auth/resource-cache.ts) and the change feed
// it rests on (db/changes.ts, migration 0012): a resource written in any way is read anew at
// the next request once its notification arrived, nothing is kept while the feed is down, a
// read under way when a change arrived is not kept, and the PostgreSQL feed reconnects.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { loadResource } from '../../../server/src/auth/repository.js';
import { ResourceCache } from '../../../server/src/auth/resource-cache.js';
import type { LoadedResource } from '../../../server/src/auth/types.js';
import { announceChange, changeFeedOf, transactionWithChanges, type Change, type ChangeFeed } from '../../../server/src/db/changes.js';
import { openDatabase } from '../../../server/src/db/index.js';
import { deleteFilter, insertFilter } from '../../../server/src/filters/repository.js';
import { insertResource, updateResource } from '../../../server/src/resources/repository.js';
import { newResourceSecret } from '../../../server/src/resources/secret.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';

/** A feed driven by the test. */
function fakeFeed() {
  const listeners = new Set<(c: Change) => void>();
  const feed = {
    live: true,
    subscribe: (l: (c: Change) => void) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    close: async () => {},
    emit: (c: Change) => {
      for (const l of listeners) l(c);
    },
    announce: (c: Change) => feed.emit(c),
  };
  return feed satisfies ChangeFeed;
}

const loaded = (id: string, name: string) => ({ resource: { id, name }, filters: [] }) as unknown as LoadedResource;

describe('resource cache rules', () => {
  const id = '00000000-0000-4000-8000-000000000001';

  it('keeps a read until its notification, a reset or its lifetime', async () => {
    const feed = fakeFeed();
    let now = 0;
    const cache = new ResourceCache(feed, () => now);
    let reads = 0;
    const read = async () => loaded(id, `read ${++reads}`);
    assert.equal((await cache.get(id, read))?.resource.name, 'read 1');
    assert.equal((await cache.get(id, read))?.resource.name, 'read 1', 'kept');
    feed.emit({ kind: 'resource', id: '00000000-0000-4000-8000-000000000002' });
    assert.equal((await cache.get(id, read))?.resource.name, 'read 1', 'another resource changed');
    feed.emit({ kind: 'resource', id });
    assert.equal((await cache.get(id, read))?.resource.name, 'read 2', 'dropped by its notification');
    feed.emit({ kind: 'reset' });
    assert.equal((await cache.get(id, read))?.resource.name, 'read 3', 'dropped by a reset');
    now += 5_000;
    assert.equal((await cache.get(id, read))?.resource.name, 'read 4', 'expired');
  });

  it('keeps nothing while the feed is not live', async () => {
    const feed = fakeFeed();
    feed.live = false;
    const cache = new ResourceCache(feed);
    let reads = 0;
    const read = async () => loaded(id, `read ${++reads}`);
    await cache.get(id, read);
    await cache.get(id, read);
    assert.equal(reads, 2);
    feed.live = true;
    await cache.get(id, read);
    await cache.get(id, read);
    assert.equal(reads, 3);
  });

  it('does not keep a read that a change overtook', async () => {
    const feed = fakeFeed();
    const cache = new ResourceCache(feed);
    let release!: () => void;
    const slow = () => new Promise<LoadedResource>((resolve) => (release = () => resolve(loaded(id, 'before the change'))));
    const pending = cache.get(id, slow);
    // The change commits and is heard while the read (which saw the row before it) is under way.
    feed.emit({ kind: 'resource', id });
    release();
    assert.equal((await pending)?.resource.name, 'before the change', 'the request itself raced the change, as without a cache');
    assert.equal((await cache.get(id, async () => loaded(id, 'after')))?.resource.name, 'after', 'but it was not kept');
  });

  it('shares frozen rows, so no request changes what the next one sees', async () => {
    const cache = new ResourceCache(fakeFeed());
    const hit = await cache.get(id, async () => loaded(id, 'frozen'));
    assert.throws(() => {
      (hit!.resource as { name: string }).name = 'changed';
    }, TypeError);
  });
});

if (process.env.TEST_DATABASE_URL) {
  it('VERIFRAME_RESOURCE_CACHE=false opens the database without a change feed, so nothing is cached', async () => {
    const url = process.env.TEST_DATABASE_URL!;
    const off = await openDatabase({ kind: 'postgres', url }, { resourceCache: false });
    const on = await openDatabase({ kind: 'postgres', url });
    try {
      assert.equal(changeFeedOf(off.db), undefined);
      assert.notEqual(changeFeedOf(on.db), undefined);
    } finally {
      await off.close();
      await on.close();
    }
  });
}

for (const mode of dbModes()) {
  describe(`resource cache on the database (${mode})`, () => {
    let t: TestDb;
    before(async () => {
      t = await openTestDb(mode);
    });
    after(() => t.close());

    /** Runs `write` and resolves once the notification for `id` was heard. */
    async function changed(id: string, write: () => Promise<unknown>) {
      const feed = changeFeedOf(t.db)!;
      let unsubscribe = () => {};
      const heard = new Promise<void>((resolve) => {
        unsubscribe = feed.subscribe((c) => {
          if (c.kind === 'reset' || c.id === id) resolve();
        });
      });
      await write();
      await heard;
      unsubscribe();
    }

    async function resource(name: string) {
      const { hash } = newResourceSecret();
      const r = await insertResource(t.db, { name, allowedOrigins: [], authMethod: 'otp', secretHash: hash });
      // The feed listens from the first use on: wait until it does, so the test sees the cache.
      await loadResource(t.db, r.id);
      const feed = changeFeedOf(t.db)!;
      if (!feed.live) await new Promise<void>((resolve) => feed.subscribe(() => feed.live && resolve()));
      return r;
    }

    it('reads a resource anew after any write to it or its filters, plain SQL included', async () => {
      const r = await resource(`cache ${mode}`);
      const first = await loadResource(t.db, r.id);
      assert.equal(await loadResource(t.db, r.id), first, 'the second read is the cached row');
      assert.equal(await loadResource(t.db, r.id.toUpperCase()), first, 'whatever the case of the id');

      await changed(r.id, () => sql`update resources set active = false where id = ${r.id}`.execute(t.db));
      assert.equal((await loadResource(t.db, r.id))?.resource.active, false, 'deactivated');
      assert.equal((await loadResource(t.db, r.id.toUpperCase()))?.resource.active, false, 'deactivated, upper-case id too');

      const { hash } = newResourceSecret();
      await changed(r.id, () => t.db.updateTable('resources').set({ secretHash: hash }).where('id', '=', r.id).execute());
      assert.deepEqual((await loadResource(t.db, r.id))?.resource.secretHash, hash, 'rotated secret');

      await changed(r.id, () =>
        t.db
          .insertInto('filters')
          .values({ resourceId: r.id, type: 'ip', mode: 'deny', config: JSON.stringify({ cidrs: ['192.0.2.0/24'] }) })
          .execute(),
      );
      assert.equal((await loadResource(t.db, r.id))?.filters.length, 1, 'a new filter');
      await changed(r.id, () => t.db.updateTable('filters').set({ enabled: false }).where('resourceId', '=', r.id).execute());
      assert.equal((await loadResource(t.db, r.id))?.filters.length, 0, 'a disabled filter');

      await changed(r.id, () => t.db.deleteFrom('resources').where('id', '=', r.id).execute());
      assert.equal(await loadResource(t.db, r.id), undefined, 'deleted');
    });

    it("sees this process's own write at its next read, before the notification arrives", async () => {
      // PostgreSQL delivers a notification after the write has returned; the repositories tell
      // their own process at once, so an administrator's next call never meets the old row.
      const r = await resource('cache own write');
      await loadResource(t.db, r.id);
      await updateResource(t.db, r.id, { allowedOrigins: ['https://elsewhere.example'] }, new Date());
      assert.deepEqual((await loadResource(t.db, r.id))?.resource.allowedOrigins, ['https://elsewhere.example']);
      await loadResource(t.db, r.id);
      const f = await insertFilter(t.db, {
        resourceId: r.id,
        type: 'ip',
        mode: 'deny',
        config: JSON.stringify({ cidrs: ['203.0.113.0/24'] }),
        createdBy: null,
      });
      assert.deepEqual(
        (await loadResource(t.db, r.id))?.filters.map((x) => x.id),
        [f.id],
      );
      await deleteFilter(t.db, r.id, f.id);
      assert.deepEqual((await loadResource(t.db, r.id))?.filters, []);
    });

    it('announces a change made in a transaction once it has committed, and not after a rollback', async () => {
      // The services write resources and filters in transactions (with their events): a change
      // told before the commit would let a read in between keep the old row.
      const r = await resource('cache transaction');
      const heard: string[] = [];
      const unsubscribe = changeFeedOf(t.db)!.subscribe((c) => heard.push(c.kind === 'reset' ? 'reset' : `${c.id}`));
      try {
        const marker = '00000000-0000-4000-8000-00000000abcd';
        await transactionWithChanges(t.db, async (trx) => {
          announceChange(trx, { kind: 'resource', id: marker });
          assert.ok(!heard.includes(marker), 'not before the commit');
        });
        assert.equal(heard.filter((h) => h === marker).length, 1, 'once, after the commit');
        const rolledBack = '00000000-0000-4000-8000-00000000dcba';
        await assert.rejects(
          transactionWithChanges(t.db, async (trx) => {
            announceChange(trx, { kind: 'resource', id: rolledBack });
            throw new Error('roll back');
          }),
          /roll back/,
        );
        assert.ok(!heard.includes(rolledBack), 'not after a rollback');

        await loadResource(t.db, r.id);
        await transactionWithChanges(t.db, (trx) => updateResource(trx, r.id, { allowedOrigins: ['https://moved.example'] }, new Date()));
        assert.deepEqual((await loadResource(t.db, r.id))?.resource.allowedOrigins, ['https://moved.example'], 'read anew at once');
      } finally {
        unsubscribe();
      }
    });

    if (mode === 'pglite') {
      it('hears a change on PGlite before the writing statement returns', async () => {
        const r = await resource('cache sync');
        await loadResource(t.db, r.id);
        await t.db.updateTable('resources').set({ active: false }).where('id', '=', r.id).execute();
        assert.equal((await loadResource(t.db, r.id))?.resource.active, false);
      });
    }

    if (mode === 'postgres') {
      it('reads through while the listening connection is down, and reconnects', async () => {
        const r = await resource('cache reconnect');
        const feed = changeFeedOf(t.db)!;
        const seen: string[] = [];
        const back = new Promise<void>((resolve) =>
          feed.subscribe((c) => {
            // The resource's own creation may still be on its way: only the feed's resets count.
            if (c.kind !== 'reset') return;
            seen.push(`${c.kind} ${feed.live ? 'live' : 'down'}`);
            if (c.kind === 'reset' && feed.live) resolve();
          }),
        );
        // PostgreSQL ends the listening session (as a restart or a failover would).
        const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
        await admin.connect();
        try {
          const ended = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [`vf-feed-${t.schema}`]);
          assert.equal(ended.rowCount, 1, 'the listening session');
        } finally {
          await admin.end();
        }
        await back;
        assert.deepEqual(seen, ['reset down', 'reset live'], 'nothing kept while down, everything forgotten when back');
        // Listening again: a change is heard as before.
        await loadResource(t.db, r.id);
        await changed(r.id, () => sql`update resources set active = false where id = ${r.id}`.execute(t.db));
        assert.equal((await loadResource(t.db, r.id))?.resource.active, false);
      });
    }
  });
}
