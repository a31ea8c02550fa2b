import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { COUNTRY_CODES } from '../../../server/src/filters/countries.js';
import { MAX_FILTERS_PER_RESOURCE } from '../../../server/src/filters/service.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { caller, createResource, missingId, resourceAdmin } from '../resources/helpers.js';

type Item = Record<string, unknown>;

describe('country list', () => {
  it('holds the 249 official alpha-2 codes, each a region the runtime can name', () => {
    assert.equal(COUNTRY_CODES.size, 249);
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    for (const code of COUNTRY_CODES) {
      assert.match(code, /^[A-Z]{2}$/);
      assert.notEqual(names.of(code), code, code);
    }
  });
});

for (const mode of dbModes()) {
  describe(`filter API (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let call: ReturnType<typeof caller>;
    let resourceId: string;
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t);
      call = caller(api);
      resourceId = (await createResource(call, 'Filtered')).id;
    });
    after(() => t.close());

    const path = (rid = resourceId) => `/api/v1/resources/${rid}/filters`;
    const create = async (body: unknown, rid = resourceId, key?: string) => {
      const res = await call('POST', path(rid), body, key);
      assert.equal(res.status, 201, res.text);
      return res.body;
    };

    it('stores each type normalised and returns it as it was sent', async () => {
      const ip = await create({
        type: 'ip',
        mode: 'allow',
        cidrs: ['10.1.2.3/8', ' 192.168.0.1 ', '2001:DB8:0:0::1/32', '::ffff:10.0.0.1', '::1', '10.0.0.0/8'],
      });
      assert.deepEqual(ip.cidrs, ['10.0.0.0/8', '192.168.0.1/32', '2001:db8::/32', '10.0.0.1/32', '::1/128']);
      assert.equal(ip.mode, 'allow');
      assert.equal(ip.enabled, true);
      assert.equal(ip.resourceId, resourceId);
      const country = await create({ type: 'country', mode: 'deny', countries: ['de', 'FR', 'De'], enabled: false });
      assert.deepEqual(country.countries, ['DE', 'FR']);
      assert.equal(country.enabled, false);
      const time = await create({
        type: 'time',
        timezone: 'europe/berlin',
        weekdays: [5, 1, 3],
        intervals: [
          { from: '22:00', to: '06:00' },
          { from: '00:00', to: '24:00' },
        ],
      });
      assert.equal(time.timezone, 'Europe/Berlin');
      assert.deepEqual(time.weekdays, [1, 3, 5]);
      assert.deepEqual(time.intervals, [
        { from: '22:00', to: '06:00' },
        { from: '00:00', to: '24:00' },
      ]);
      assert.equal(time.mode, undefined, 'a time filter has no mode');
      const ua = await create({ type: 'userAgent', mode: 'deny', patterns: ['curl/', ' CURL/ ', 'python-requests'] });
      assert.deepEqual(ua.patterns, ['curl/', 'python-requests']);

      const stored = await t.db
        .selectFrom('filters')
        .selectAll()
        .where('id', 'in', [ip.id as string, time.id as string])
        .orderBy('type')
        .execute();
      assert.deepEqual(
        stored.map((f) => [f.type, f.mode, f.config]),
        [
          ['ip', 'allow', { cidrs: ip.cidrs }],
          ['time', null, { timezone: 'Europe/Berlin', weekdays: [1, 3, 5], intervals: time.intervals }],
        ],
      );
      assert.deepEqual(await call('GET', `${path()}/${time.id}`).then((r) => r.body), time);
      const events = await t.db
        .selectFrom('events')
        .select(['type', 'details'])
        .where('resourceId', '=', resourceId)
        .where('type', '=', 'filter.created')
        .execute();
      assert.equal(events.length, 4);
    });

    it('refuses bad values with 400 naming the field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ type: 'ip', mode: 'deny', cidrs: ['10.0.0.256'] }, 'body.cidrs.0'],
        [{ type: 'ip', mode: 'deny', cidrs: ['10.0.0.0/8', '10.0.0.0/33'] }, 'body.cidrs.1'],
        [{ type: 'ip', mode: 'deny', cidrs: ['127.1'] }, 'body.cidrs.0'],
        [{ type: 'ip', mode: 'deny', cidrs: ['010.0.0.1'] }, 'body.cidrs.0'],
        [{ type: 'ip', mode: 'deny', cidrs: ['fe80::1%eth0'] }, 'body.cidrs.0'],
        [{ type: 'ip', mode: 'deny', cidrs: ['2001:db8::/129'] }, 'body.cidrs.0'],
        [{ type: 'ip', mode: 'deny', cidrs: ['10.0.0.0/-1'] }, 'body.cidrs.0'],
        [{ type: 'ip', mode: 'deny', cidrs: ['banana'] }, 'body.cidrs.0'],
        [{ type: 'ip', mode: 'deny', cidrs: [] }, 'body.cidrs'],
        [{ type: 'ip', mode: 'deny', cidrs: '10.0.0.0/8' }, 'body.cidrs'],
        [{ type: 'ip', cidrs: ['10.0.0.0/8'] }, 'body.mode'],
        [{ type: 'ip', mode: 'block', cidrs: ['10.0.0.0/8'] }, 'body.mode'],
        [{ type: 'country', mode: 'deny', countries: ['XX'] }, 'body.countries.0'],
        [{ type: 'country', mode: 'deny', countries: ['DE', 'DEU'] }, 'body.countries.1'],
        [{ type: 'country', mode: 'deny', countries: ['XK'] }, 'body.countries.0'],
        [{ type: 'time', timezone: 'Mars/Olympus_Mons', weekdays: [1], intervals: [{ from: '08:00', to: '18:00' }] }, 'body.timezone'],
        [{ type: 'time', timezone: 'UTC', weekdays: [8], intervals: [{ from: '08:00', to: '18:00' }] }, 'body.weekdays.0'],
        [{ type: 'time', timezone: 'UTC', weekdays: [0], intervals: [{ from: '08:00', to: '18:00' }] }, 'body.weekdays.0'],
        [{ type: 'time', timezone: 'UTC', weekdays: [1, 1], intervals: [{ from: '08:00', to: '18:00' }] }, 'body.weekdays'],
        [{ type: 'time', timezone: 'UTC', weekdays: [1], intervals: [{ from: '08:00', to: '08:00' }] }, 'body.intervals.0.to'],
        [{ type: 'time', timezone: 'UTC', weekdays: [1], intervals: [{ from: '24:00', to: '08:00' }] }, 'body.intervals.0.from'],
        [{ type: 'time', timezone: 'UTC', weekdays: [1], intervals: [{ from: '8:00', to: '18:00' }] }, 'body.intervals.0.from'],
        [{ type: 'time', timezone: 'UTC', weekdays: [1], intervals: [{ from: '08:00', to: '18:60' }] }, 'body.intervals.0.to'],
        [{ type: 'time', timezone: 'UTC', weekdays: [1], intervals: [] }, 'body.intervals'],
        [{ type: 'time', mode: 'allow', timezone: 'UTC', weekdays: [1], intervals: [{ from: '08:00', to: '18:00' }] }, 'body'],
        [{ type: 'userAgent', mode: 'deny', patterns: ['x'.repeat(201)] }, 'body.patterns.0'],
        [{ type: 'userAgent', mode: 'deny', patterns: ['   '] }, 'body.patterns.0'],
        [{ type: 'userAgent', mode: 'deny', patterns: ['bad\u0000byte'] }, 'body.patterns.0'],
        [{ type: 'userAgent', mode: 'deny', patterns: Array.from({ length: 51 }, (_, i) => `bot${i}`) }, 'body.patterns'],
        [{ type: 'geo', mode: 'deny' }, 'body.type'],
        [{ mode: 'deny', cidrs: ['10.0.0.0/8'] }, 'body.type'],
        [{ type: 'ip', mode: 'deny', cidrs: ['10.0.0.0/8'], enabled: 'yes' }, 'body.enabled'],
        [{ type: 'ip', mode: 'deny', cidrs: ['10.0.0.0/8'], extra: true }, 'body'],
      ];
      for (const [body, field] of cases) {
        const res = await call('POST', path(), body);
        assert.equal(res.status, 400, `${JSON.stringify(body).slice(0, 120)} → ${res.text}`);
        assert.equal(res.body.error?.code, 'invalid_request');
        assert.equal(res.body.error?.field, field, JSON.stringify(body).slice(0, 120));
      }
      assert.equal((await call('POST', path(), [1, 2])).status, 400);
    });

    it('patches the fields of its own type and refuses the others with 422', async () => {
      const ip = await create({ type: 'ip', mode: 'deny', cidrs: ['198.51.100.0/24'] });
      const url = `${path()}/${ip.id}`;
      const patched = await call('PATCH', url, { cidrs: ['203.0.113.7/24'], enabled: false });
      assert.equal(patched.status, 200, patched.text);
      assert.deepEqual(patched.body.cidrs, ['203.0.113.0/24']);
      assert.equal(patched.body.mode, 'deny', 'untouched fields stay');
      assert.equal(patched.body.enabled, false);
      assert.equal((await call('PATCH', url, { mode: 'allow', type: 'ip' })).body.mode, 'allow', 'the same type may be repeated');
      for (const [body, field] of [
        [{ countries: ['DE'] }, 'body.countries'],
        [{ timezone: 'UTC' }, 'body.timezone'],
        [{ type: 'country' }, 'body.type'],
      ] as const) {
        const res = await call('PATCH', url, body);
        assert.equal(res.status, 422, JSON.stringify(body));
        assert.equal(res.body.error?.code, 'filter_field_not_applicable');
        assert.equal(res.body.error?.field, field);
      }
      const bad = await call('PATCH', url, { cidrs: ['nope'] });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error?.field, 'body.cidrs.0');
      assert.equal((await call('PATCH', url, { color: 'red' })).status, 400);

      const time = await create({ type: 'time', timezone: 'UTC', weekdays: [1], intervals: [{ from: '09:00', to: '17:00' }] });
      const t2 = await call('PATCH', `${path()}/${time.id}`, { timezone: 'america/new_york', weekdays: [7, 6] });
      assert.equal(t2.body.timezone, 'America/New_York');
      assert.deepEqual(t2.body.weekdays, [6, 7]);
      assert.deepEqual(t2.body.intervals, [{ from: '09:00', to: '17:00' }]);
      assert.equal((await call('PATCH', `${path()}/${time.id}`, { mode: 'deny' })).body.error?.field, 'body.mode', 'a time filter has no mode');
      const updated = await t.db.selectFrom('events').select('details').where('type', '=', 'filter.updated').where('resourceId', '=', resourceId).execute();
      assert.ok(updated.length >= 3);
    });

    it('lists with paging, a total and a type filter; bounds answer 400', async () => {
      const r = (await createResource(call, `Filter paging ${mode}`)).id;
      for (let i = 0; i < 3; i++) await create({ type: 'userAgent', mode: 'deny', patterns: [`bot-${i}`] }, r);
      await create({ type: 'country', mode: 'allow', countries: ['CH'] }, r);
      const page = await call('GET', `${path(r)}?start=1&limit=2`);
      assert.equal(page.body.total, 4);
      assert.deepEqual(
        (page.body.items as Item[]).map((f) => f.patterns),
        [['bot-1'], ['bot-2']],
        'oldest first',
      );
      const byType = await call('GET', `${path(r)}?type=country`);
      assert.equal(byType.body.total, 1);
      for (const q of ['limit=501', 'start=-1', 'limit=0', 'type=geo']) assert.equal((await call('GET', `${path(r)}?${q}`)).status, 400, q);
    });

    it(`refuses more than ${MAX_FILTERS_PER_RESOURCE} filters per resource`, async () => {
      const r = (await createResource(call, `Filter limit ${mode}`)).id;
      const row = { resourceId: r, type: 'country' as const, mode: 'deny' as const, config: JSON.stringify({ countries: ['KP'] }) };
      await t.db
        .insertInto('filters')
        .values(Array.from({ length: MAX_FILTERS_PER_RESOURCE - 1 }, () => row))
        .execute();
      await create({ type: 'country', mode: 'deny', countries: ['IR'] }, r);
      const res = await call('POST', path(r), { type: 'country', mode: 'deny', countries: ['CU'] });
      assert.equal(res.status, 409);
      assert.equal(res.body.error?.code, 'filter_limit_reached');
    });

    it('answers 404 for unknown filters and resources and 400 for malformed ids', async () => {
      const other = (await createResource(call, `Filter other ${mode}`)).id;
      const foreign = await create({ type: 'country', mode: 'deny', countries: ['RU'] }, other);
      for (const [method, p, code] of [
        ['GET', `${path()}/${missingId}`, 'filter_not_found'],
        ['PATCH', `${path()}/${missingId}`, 'filter_not_found'],
        ['DELETE', `${path()}/${missingId}`, 'filter_not_found'],
        ['GET', `${path()}/${foreign.id}`, 'filter_not_found'],
        ['DELETE', `${path()}/${foreign.id}`, 'filter_not_found'],
        ['GET', path(missingId), 'resource_not_found'],
        ['POST', path(missingId), 'resource_not_found'],
      ] as const) {
        const body = method === 'PATCH' ? { enabled: true } : method === 'POST' ? { type: 'country', mode: 'deny', countries: ['RU'] } : undefined;
        const res = await call(method, p, body);
        assert.equal(res.status, 404, `${method} ${p}`);
        assert.equal(res.body.error?.code, code);
      }
      assert.equal((await call('GET', `${path()}/nope`)).body.error?.field, 'param.filterId');
      assert.equal((await call('GET', '/api/v1/resources/nope/filters')).body.error?.field, 'param.id');
      assert.equal((await call('GET', `${path(other)}/${foreign.id}`)).status, 200);
    });

    it('lets only a superuser or the creating administrator change or delete, and keeps administrators inside their resources', async () => {
      const mine = (await createResource(call, `Filter tenant mine ${mode}`)).id;
      const theirs = (await createResource(call, `Filter tenant theirs ${mode}`)).id;
      const a = await resourceAdmin(t, 'filter admin a', [mine]);
      const b = await resourceAdmin(t, 'filter admin b', [mine]);
      const body = { type: 'ip', mode: 'deny', cidrs: ['192.0.2.0/24'] };
      const byA = await create(body, mine, a.key);
      assert.equal(byA.createdBy, a.id);
      const bySuper = await create(body, mine);
      const foreign = await create(body, theirs);

      // Other tenant: nothing of it is visible or changeable.
      for (const [method, p, json] of [
        ['GET', path(theirs)],
        ['POST', path(theirs), body],
        ['GET', `${path(theirs)}/${foreign.id}`],
        ['PATCH', `${path(theirs)}/${foreign.id}`, { enabled: false }],
        ['DELETE', `${path(theirs)}/${foreign.id}`],
      ] as const) {
        const res = await call(method, p, json, a.key);
        assert.equal(res.status, 404, `${method} ${p} → ${res.text}`);
        assert.equal(res.body.error?.code, 'resource_not_found');
      }
      assert.equal(
        (await call('GET', `${path(mine)}/${foreign.id}`, undefined, a.key)).body.error?.code,
        'filter_not_found',
        'not through its own resource either',
      );
      assert.equal((await call('GET', `${path(theirs)}/${foreign.id}`)).body.enabled, true, 'the foreign filter is untouched');
      assert.equal((await call('GET', path(theirs))).body.total, 1);

      // Own resource: everyone there may read; changing and deleting are for the creator or a superuser.
      assert.equal((await call('GET', path(mine), undefined, b.key)).body.total, 2);
      const bChanges = await call('PATCH', `${path(mine)}/${byA.id}`, { enabled: false }, b.key);
      assert.equal(bChanges.status, 403, bChanges.text);
      assert.equal(bChanges.body.error?.code, 'forbidden');
      assert.equal((await call('GET', `${path(mine)}/${byA.id}`)).body.enabled, true, 'unchanged');
      assert.equal((await call('PATCH', `${path(mine)}/${bySuper.id}`, { enabled: false }, a.key)).status, 403);
      assert.equal((await call('PATCH', `${path(mine)}/${byA.id}`, { enabled: false }, a.key)).body.enabled, false);
      assert.equal((await call('PATCH', `${path(mine)}/${bySuper.id}`, { enabled: false })).body.enabled, false);
      const bDeletes = await call('DELETE', `${path(mine)}/${byA.id}`, undefined, b.key);
      assert.equal(bDeletes.status, 403);
      assert.equal(bDeletes.body.error?.code, 'forbidden');
      assert.equal((await call('DELETE', `${path(mine)}/${bySuper.id}`, undefined, a.key)).status, 403);
      assert.equal((await call('DELETE', `${path(mine)}/${byA.id}`, undefined, a.key)).status, 204);
      assert.equal((await call('DELETE', `${path(mine)}/${bySuper.id}`)).status, 204);
      assert.equal((await call('GET', path(mine))).body.total, 0);
      const types = (await t.db.selectFrom('events').select('type').where('resourceId', '=', mine).execute()).map((e) => e.type);
      assert.equal(types.filter((x) => x === 'filter.deleted').length, 2);
    });
  });
}
