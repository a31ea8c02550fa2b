import { z } from '@hono/zod-openapi';
import type { FilterRow } from '../db/types.js';
import { listSchema, pageQuery } from '../http/paging.js';
import { isCountryCode } from './countries.js';
import { canonicalTimeZone, normaliseCidr } from './normalise.js';

export const filterTypes = ['ip', 'country', 'time', 'userAgent'] as const;
export type FilterTypeName = (typeof filterTypes)[number];

const pathId = (name: string) => z.uuid().openapi({ param: { name, in: 'path' } });
export const resourceParam = z.object({ id: pathId('id') });
export const filterParams = z.object({ id: pathId('id'), filterId: pathId('filterId') });
export const filterListQuery = pageQuery.omit({ search: true }).extend({ type: z.enum(filterTypes).optional() });

const ifInvalid = (check: (v: string) => boolean, message: string) => (v: string, ctx: z.core.$RefinementCtx<string>) => {
  if (!check(v)) ctx.addIssue({ code: 'custom', message });
};

// --- the fields, shared by create (per type) and patch (all optional) -------------------------

const mode = z.enum(['allow', 'deny']).openapi({ description: 'allow: only matching requests pass; deny: matching requests are refused.' });
const cidrs = z
  .array(
    z
      .string()
      .max(100)
      .superRefine(ifInvalid((v) => normaliseCidr(v) !== undefined, 'not an IPv4/IPv6 address or CIDR')),
  )
  .min(1)
  .max(500)
  .openapi({ description: 'IPv4/IPv6 addresses or CIDRs; stored as network/prefix.', example: ['203.0.113.0/24', '2001:db8::/32'] });
const countries = z
  .array(z.string().max(2).superRefine(ifInvalid(isCountryCode, 'not an ISO 3166-1 alpha-2 country code')))
  .min(1)
  .max(249)
  .openapi({ description: 'ISO 3166-1 alpha-2 codes; stored upper-case.', example: ['DE', 'FR'] });
const timezone = z
  .string()
  .max(64)
  .superRefine(ifInvalid((v) => canonicalTimeZone(v) !== undefined, 'not an IANA time zone'))
  .openapi({ description: 'IANA time zone the windows are read in.', example: 'Europe/Berlin' });
const weekdays = z
  .array(z.number().int().min(1).max(7))
  .min(1)
  .max(7)
  .refine((days) => new Set(days).size === days.length, 'each weekday once')
  .openapi({ description: 'ISO weekdays the windows start on: 1 = Monday … 7 = Sunday.', example: [1, 2, 3, 4, 5] });
const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
const interval = z
  .object({
    from: z.string().regex(hhmm, 'HH:MM, 00:00 to 23:59'),
    to: z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:MM, 00:00 to 24:00'),
  })
  .strict()
  .refine((i) => i.from !== i.to, { message: 'from and to must differ (to before from runs past midnight; 00:00 to 24:00 is the whole day)', path: ['to'] });
const intervals = z
  .array(interval)
  .min(1)
  .max(24)
  .openapi({
    description: 'Allowed windows in local time; `to` earlier than `from` runs past midnight into the next day.',
    example: [{ from: '08:00', to: '18:00' }],
  });
const patterns = z
  .array(
    z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters'),
  )
  .min(1)
  .max(50)
  .openapi({
    description: 'Matched as case-insensitive substrings of the User-Agent header (no regular expressions, so no ReDoS).',
    example: ['curl/', 'python-requests'],
  });
const enabled = z.boolean().optional().openapi({ description: 'Default true.' });

export const ipFilterBody = z
  .object({ type: z.literal('ip'), mode, cidrs, enabled })
  .strict()
  .openapi('IpFilterInput');
export const countryFilterBody = z
  .object({ type: z.literal('country'), mode, countries, enabled })
  .strict()
  .openapi('CountryFilterInput');
export const timeFilterBody = z
  .object({ type: z.literal('time'), timezone, weekdays, intervals, enabled })
  .strict()
  .openapi('TimeFilterInput');
export const userAgentFilterBody = z
  .object({ type: z.literal('userAgent'), mode, patterns, enabled })
  .strict()
  .openapi('UserAgentFilterInput');

export const createFilterBody = z.discriminatedUnion('type', [ipFilterBody, countryFilterBody, timeFilterBody, userAgentFilterBody]).openapi('CreateFilter');
export type CreateFilterInput = z.infer<typeof createFilterBody>;

export const patchFilterBody = z
  .object({
    type: z.enum(filterTypes).optional().openapi({ description: 'May be sent but cannot change.' }),
    enabled: z.boolean().optional(),
    mode: mode.optional(),
    cidrs: cidrs.optional(),
    countries: countries.optional(),
    timezone: timezone.optional(),
    weekdays: weekdays.optional(),
    intervals: intervals.optional(),
    patterns: patterns.optional(),
  })
  .strict()
  .openapi('PatchFilter', { description: "Only the fields of the filter's own type; lists are replaced as a whole." });
export type PatchFilterInput = z.infer<typeof patchFilterBody>;

// --- responses -------------------------------------------------------------------------------

const common = {
  id: z.uuid(),
  resourceId: z.uuid(),
  enabled: z.boolean(),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
};
const modeOut = z.enum(['allow', 'deny']);
const strings = z.array(z.string());

export const filterSchema = z
  .discriminatedUnion('type', [
    z.object({ ...common, type: z.literal('ip'), mode: modeOut, cidrs: strings }).openapi('IpFilter'),
    z.object({ ...common, type: z.literal('country'), mode: modeOut, countries: strings }).openapi('CountryFilter'),
    z
      .object({
        ...common,
        type: z.literal('time'),
        timezone: z.string(),
        weekdays: z.array(z.number().int()),
        intervals: z.array(z.object({ from: z.string(), to: z.string() })),
      })
      .openapi('TimeFilter'),
    z.object({ ...common, type: z.literal('userAgent'), mode: modeOut, patterns: strings }).openapi('UserAgentFilter'),
  ])
  .openapi('Filter');
export type FilterJson = z.infer<typeof filterSchema>;

export const filterListSchema = listSchema(filterSchema, 'FilterList');

/** The API view: the type's fields side by side with the common ones, as they were sent. */
export function filterJson(f: FilterRow): FilterJson {
  const base = {
    id: f.id,
    resourceId: f.resourceId,
    enabled: f.enabled,
    createdBy: f.createdBy,
    createdAt: f.createdAt.toISOString(),
    updatedAt: f.updatedAt.toISOString(),
  };
  const c = f.config as Record<string, unknown>;
  const list = <T>(key: string) => (Array.isArray(c[key]) ? (c[key] as T[]) : []);
  const m = f.mode ?? 'deny';
  switch (f.type) {
    case 'ip':
      return { ...base, type: 'ip', mode: m, cidrs: list('cidrs') };
    case 'country':
      return { ...base, type: 'country', mode: m, countries: list('countries') };
    case 'time':
      return { ...base, type: 'time', timezone: String(c.timezone ?? 'UTC'), weekdays: list('weekdays'), intervals: list('intervals') };
    case 'userAgent':
      return { ...base, type: 'userAgent', mode: m, patterns: list('patterns') };
  }
}
