import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { caller, createResource, resourceAdmin } from './helpers.js';

const allOff = {
  enabled: false,
  address: null,
  allowedActions: {
    token: { enroll: false, reissue: false, assignExisting: false, unassign: false, synchronize: false, setPin: false, removePin: false },
    user: { createPassword: false, changePassword: false, changeEmail: false, changePhone: false, changeLogin: false, changeNames: false },
  },
  enrollmentTypes: [],
};

for (const mode of dbModes()) {
  describe(`resource self-service settings (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let call: ReturnType<typeof caller>;
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t, { env: { PUBLIC_URL: 'https://mfa.example.com' } });
      call = caller(api);
    });
    after(() => t.close());

    it('has everything off by default and no portal URL', async () => {
      const { id } = await createResource(call, 'Defaults');
      const res = await call('GET', `/api/v1/resources/${id}`);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.selfService, allOff);
      assert.equal(res.body.enrollOnLogin, false);
      assert.equal(res.body.selfServiceUrl, null);
    });

    it('merges a PATCH field by field, also inside the action groups, and shows the URL', async () => {
      const { id } = await createResource(call, 'Merging');
      let res = await call('PATCH', `/api/v1/resources/${id}`, { selfService: { address: 'merging', allowedActions: { token: { enroll: true } } } });
      assert.equal(res.status, 200, res.text);
      res = await call('PATCH', `/api/v1/resources/${id}`, {
        selfService: { enabled: true, allowedActions: { user: { changeNames: true } }, enrollmentTypes: ['email', 'totp'] },
        enrollOnLogin: true,
      });
      assert.equal(res.status, 200, res.text);
      const got = await call('GET', `/api/v1/resources/${id}`);
      const ss = got.body.selfService as typeof allOff;
      assert.equal(ss.enabled, true);
      assert.equal(ss.address, 'merging');
      assert.deepEqual(ss.allowedActions.token, { ...allOff.allowedActions.token, enroll: true });
      assert.deepEqual(ss.allowedActions.user, { ...allOff.allowedActions.user, changeNames: true });
      assert.deepEqual(ss.enrollmentTypes, ['totp', 'email'], 'kept in the canonical order');
      assert.equal(got.body.enrollOnLogin, true);
      assert.equal(got.body.selfServiceUrl, 'https://mfa.example.com/self-service/merging');
      // Other settings are untouched by a self-service PATCH, and the reverse.
      res = await call('PATCH', `/api/v1/resources/${id}`, { otpWindow: 2 });
      assert.deepEqual(res.body.selfService, ss);
      const list = await call('GET', '/api/v1/resources?search=merging');
      assert.deepEqual((list.body.items as { selfService: unknown }[])[0]!.selfService, ss);
    });

    it('refuses bad addresses, unknown types and unknown actions with the field named', async () => {
      const { id } = await createResource(call, 'Validating');
      for (const [body, field] of [
        [{ selfService: { address: 'AB' } }, 'selfService'],
        [{ selfService: { address: 'has space' } }, 'selfService'],
        [{ selfService: { address: 'x'.repeat(41) } }, 'selfService'],
        [{ selfService: { enrollmentTypes: ['ocra'] } }, 'selfService'],
        [{ selfService: { enrollmentTypes: ['totp', 'totp'] } }, 'selfService'],
        [{ selfService: { allowedActions: { token: { fly: true } } } }, 'selfService'],
        [{ selfService: { enabled: 'yes' } }, 'selfService'],
        [{ enrollOnLogin: 1 }, 'enrollOnLogin'],
      ] as const) {
        const res = await call('PATCH', `/api/v1/resources/${id}`, body);
        assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
        assert.match(res.body.error!.field ?? '', new RegExp(field), res.text);
      }
      const got = await call('GET', `/api/v1/resources/${id}`);
      assert.deepEqual(got.body.selfService, allOff, 'nothing was stored');
    });

    it('keeps addresses unique, on create and on patch, and frees one set to null', async () => {
      const a = await createResource(call, 'First portal', { selfService: { address: 'taken-one' } });
      const dup = await call('POST', '/api/v1/resources', { name: 'Second portal', selfService: { address: 'taken-one' } });
      assert.equal(dup.status, 409, dup.text);
      assert.equal(dup.body.error!.code, 'self_service_address_taken');
      const b = await createResource(call, 'Third portal');
      const patch = await call('PATCH', `/api/v1/resources/${b.id}`, { selfService: { address: 'taken-one' } });
      assert.equal(patch.status, 409, patch.text);
      assert.equal(patch.body.error!.code, 'self_service_address_taken');
      // Setting the same address on its own resource again is no conflict.
      assert.equal((await call('PATCH', `/api/v1/resources/${a.id}`, { selfService: { address: 'taken-one' } })).status, 200);
      assert.equal((await call('PATCH', `/api/v1/resources/${a.id}`, { selfService: { address: null } })).status, 200);
      assert.equal((await call('PATCH', `/api/v1/resources/${b.id}`, { selfService: { address: 'taken-one' } })).status, 200);
      // The unique index decides when the pre-check is bypassed (a race).
      await assert.rejects(
        t.db
          .updateTable('resources')
          .set({ settings: JSON.stringify({ selfService: { address: 'taken-one' } }) })
          .where('id', '=', a.id)
          .execute(),
        (err: { code?: string }) => err.code === '23505',
      );
    });

    it('lets a resource administrator change the settings of their own resource only', async () => {
      const mine = await createResource(call, 'Admin mine');
      const other = await createResource(call, 'Admin other');
      const admin = await resourceAdmin(t, 'portal admin', [mine.id]);
      assert.equal((await call('PATCH', `/api/v1/resources/${mine.id}`, { selfService: { enabled: true } }, admin.key)).status, 200);
      assert.equal((await call('PATCH', `/api/v1/resources/${other.id}`, { selfService: { enabled: true } }, admin.key)).status, 404);
    });

    it('documents the settings in the OpenAPI document', async () => {
      const res = await call('GET', '/api/v1/openapi.json');
      const doc = JSON.parse(res.text) as { components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
      assert.ok(doc.components.schemas.Resource!.properties!.selfServiceUrl);
      assert.ok(doc.components.schemas.PatchResource!.properties!.enrollOnLogin);
      assert.ok(doc.components.schemas.SelfService);
    });
  });
}
