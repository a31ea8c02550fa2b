import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sealEvents } from '../../../server/src/events/chain.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { adminCalls } from '../../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';

// GET /api/v1/events/chain: the audit chain's status on the console's Events page.
for (const mode of dbModes()) {
  describe(`events chain status (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t);
    });
    after(() => t.close());

    it('answers intact, then names the edited event; only superusers may ask', async () => {
      const r = await adminCalls(api).resource();
      await sealEvents(t.db, api.keyRing);
      let res = await api.call('GET', '/api/v1/events/chain');
      assert.equal(res.status, 200);
      assert.equal(res.body.ok, true);
      assert.ok((res.body.checked as number) > 0);
      const ev = await t.db.selectFrom('events').select('id').where('resourceId', '=', r.id).executeTakeFirstOrThrow();
      await t.db.updateTable('events').set({ reason: 'tampered' }).where('id', '=', ev.id).execute();
      res = await api.call('GET', '/api/v1/events/chain');
      assert.equal(res.body.ok, false);
      assert.equal(String(res.body.brokenAt), String(ev.id));

      const ra = await api.call('POST', '/api/v1/admins', { name: 'ra', role: 'admin', resourceIds: [r.id] });
      const forbidden = await api.call('GET', '/api/v1/events/chain', undefined, ra.body.apiKey as string);
      assert.equal(forbidden.status, 403);
    });
  });
}
