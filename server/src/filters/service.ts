import { assertCreatorOrSuperuser } from '../access/scope.js';
import { transactionWithChanges } from '../db/changes.js';
import type { FilterConfig, FilterMode } from '../db/types.js';
import { appError } from '../errors.js';
import { appendEvent } from '../events/repository.js';
import { lockResource } from '../resources/repository.js';
import { actorOf, getResource, type ResourceContext } from '../resources/service.js';
import { canonicalTimeZone, normaliseCidr, unique } from './normalise.js';
import * as repo from './repository.js';
import type { CreateFilterInput, FilterTypeName, PatchFilterInput } from './schema.js';

/** Evaluating filters runs on every authentication; this keeps that bounded. */
export const MAX_FILTERS_PER_RESOURCE = 100;

type Stored = { type: FilterTypeName; mode: FilterMode | null; config: FilterConfig };

// The schemas have refused anything these cannot normalise, hence the non-null assertions.
function toStored(input: CreateFilterInput): Stored {
  switch (input.type) {
    case 'ip':
      return { type: 'ip', mode: input.mode, config: { cidrs: unique(input.cidrs.map((c) => normaliseCidr(c)!)) } };
    case 'country':
      return { type: 'country', mode: input.mode, config: { countries: unique(input.countries.map((c) => c.toUpperCase())) } };
    case 'time':
      return {
        type: 'time',
        mode: null,
        config: {
          timezone: canonicalTimeZone(input.timezone) ?? input.timezone,
          weekdays: [...input.weekdays].sort((a, b) => a - b),
          intervals: input.intervals.map((i) => ({ from: i.from, to: i.to })),
        },
      };
    case 'userAgent':
      return { type: 'userAgent', mode: input.mode, config: { patterns: unique(input.patterns, (p) => p.toLowerCase()) } };
  }
}

// The fields PATCH may send for each type, besides `enabled` (and `type`, which cannot change).
const fieldsOf: Record<FilterTypeName, readonly string[]> = {
  ip: ['mode', 'cidrs'],
  country: ['mode', 'countries'],
  time: ['timezone', 'weekdays', 'intervals'],
  userAgent: ['mode', 'patterns'],
};

const events = (ctx: ResourceContext, type: string, f: { id: string; resourceId: string; type: string }, details: Record<string, unknown> = {}) => ({
  ...actorOf(ctx),
  type,
  resourceId: f.resourceId,
  details: { filterId: f.id, filterType: f.type, ...details },
});

export async function getFilter(ctx: ResourceContext, resourceId: string, id: string): Promise<repo.FilterRow> {
  await getResource(ctx, resourceId);
  const filter = await repo.findFilter(ctx.db, resourceId, id);
  if (!filter) throw appError('filter_not_found');
  return filter;
}

export async function createFilter(ctx: ResourceContext, resourceId: string, input: CreateFilterInput): Promise<repo.FilterRow> {
  await getResource(ctx, resourceId);
  const stored = toStored(input);
  return transactionWithChanges(ctx.db, async (trx) => {
    // The row lock makes the count and the insert one step for concurrent creations.
    if (!(await lockResource(trx, resourceId))) throw appError('resource_not_found');
    if ((await repo.countFilters(trx, resourceId)) >= MAX_FILTERS_PER_RESOURCE) {
      throw appError('filter_limit_reached', { message: `A resource has at most ${MAX_FILTERS_PER_RESOURCE} filters; delete one first.` });
    }
    const created = await repo.insertFilter(trx, {
      resourceId,
      type: stored.type,
      mode: stored.mode,
      config: JSON.stringify(stored.config),
      enabled: input.enabled ?? true,
      createdBy: ctx.principal.adminId,
    });
    await appendEvent(trx, events(ctx, 'filter.created', created, { enabled: created.enabled }));
    return created;
  });
}

export async function listFilters(ctx: ResourceContext, resourceId: string, q: { type?: FilterTypeName; start: number; limit: number }) {
  await getResource(ctx, resourceId);
  return repo.listFilters(ctx.db, resourceId, q);
}

/**
 * Only a superuser or the administrator who created the filter, as for deleting it: disabling a
 * filter or widening it (to 0.0.0.0/0) undoes it as surely as deleting it.
 */
export async function patchFilter(ctx: ResourceContext, resourceId: string, id: string, input: PatchFilterInput): Promise<repo.FilterRow> {
  const filter = await getFilter(ctx, resourceId, id);
  assertCreatorOrSuperuser(ctx.principal, filter.createdBy, 'filter', 'change');
  const { type, enabled, ...fields } = input;
  if (type !== undefined && type !== filter.type) {
    throw appError('filter_field_not_applicable', {
      message: `This is a ${filter.type} filter; its type cannot change (delete it and create another).`,
      field: 'body.type',
    });
  }
  for (const key of Object.keys(fields)) {
    if (!fieldsOf[filter.type].includes(key)) {
      throw appError('filter_field_not_applicable', { message: `body.${key} does not belong to a ${filter.type} filter.`, field: `body.${key}` });
    }
  }
  // The merged whole is what the create schema accepted, so it is normalised the same way.
  const merged = {
    ...(filter.config as Record<string, unknown>),
    ...(filter.mode ? { mode: filter.mode } : {}),
    ...fields,
    type: filter.type,
  } as CreateFilterInput;
  const stored = toStored(merged);
  const updated = await transactionWithChanges(ctx.db, async (trx) => {
    const row = await repo.updateFilter(
      trx,
      resourceId,
      id,
      { mode: stored.mode, config: JSON.stringify(stored.config), ...(enabled !== undefined ? { enabled } : {}) },
      ctx.now,
    );
    if (!row) throw appError('filter_not_found');
    await appendEvent(trx, events(ctx, 'filter.updated', row, { changed: Object.keys(input).filter((k) => k !== 'type') }));
    return row;
  });
  return updated;
}

/** Only a superuser or the administrator who created the filter (DESIGN §3). */
export async function deleteFilter(ctx: ResourceContext, resourceId: string, id: string): Promise<void> {
  const filter = await getFilter(ctx, resourceId, id);
  assertCreatorOrSuperuser(ctx.principal, filter.createdBy, 'filter', 'delete');
  await transactionWithChanges(ctx.db, async (trx) => {
    if (!(await repo.deleteFilter(trx, resourceId, id))) throw appError('filter_not_found');
    await appendEvent(trx, events(ctx, 'filter.deleted', filter));
  });
}
