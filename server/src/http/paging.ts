import { z } from '@hono/zod-openapi';
import { appError } from '../errors.js';

/** `?search=&start=&limit=` as every list endpoint takes it (DESIGN §6: limit ≤ 500). */
export const pageQuery = z.object({
  search: z
    .string()
    .max(200)
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'control characters are not allowed')
    .optional(),
  start: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type PageQuery = z.infer<typeof pageQuery>;

/** `{"items": [...], "total": N}`, the answer of every list endpoint. */
export const listSchema = <T extends z.ZodType>(item: T, name: string) => z.object({ items: z.array(item), total: z.number().int() }).openapi(name);

// Keyset paging (DESIGN §9): `?cursor=` continues after the last item of the previous page, so a
// page deep in a list costs what the first page costs (OFFSET reads every row it skips). The
// cursor is opaque to clients: the sort key of the last item, as PostgreSQL printed it (exact to
// the microsecond), base64url-encoded JSON.

const cursorText = z
  .string()
  .max(300)
  .regex(/^[A-Za-z0-9_-]+$/, 'not a cursor')
  .refine((s) => decodeCursor(s) !== undefined, 'not a cursor')
  .openapi({
    description:
      'Continue after the previous page: its `next`. Faster than `start` deep in a list (a page costs the same wherever it is). Not combinable with `start`.',
  });

/** pageQuery with `cursor`, for the lists that page by key. */
export const cursorPageQuery = pageQuery.extend({ cursor: cursorText.optional() });
export type CursorPageQuery = z.infer<typeof cursorPageQuery>;

/** listSchema with `next`: the cursor of the following page, null on the last one. */
export const cursorListSchema = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      items: z.array(item),
      total: z.number().int(),
      next: z.string().nullable().openapi({ description: 'Pass as `cursor` for the following page; null when this page is the last.' }),
    })
    .openapi(name);

/** The sort key of a row: strings as PostgreSQL prints them (timestamps, ids). */
export type CursorKey = string[];

export const encodeCursor = (key: CursorKey): string => Buffer.from(JSON.stringify(key)).toString('base64url');

export function decodeCursor(cursor: string): CursorKey | undefined {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(key) && key.length > 0 && key.length <= 4 && key.every((k) => typeof k === 'string' && k.length <= 64) ? key : undefined;
  } catch {
    return undefined;
  }
}

/** `next` of a page: the cursor after its last row when the page is full (there may be more). */
export const nextCursor = <R extends { pageKey: CursorKey }>(rows: R[], limit: number): string | null =>
  rows.length === limit && rows.length > 0 ? encodeCursor(rows[rows.length - 1]!.pageKey) : null;

const KEY_PARTS = {
  micros: /^\d{1,16}$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  bigint: /^\d{1,18}$/,
};

/**
 * The sort key a list continues after (undefined: from `start`), checked against the list's key
 * shape, so a cursor of another list or a forged one is a 400, never a database error.
 */
export function pageKey(q: { start: number; cursor?: string | undefined }, parts: (keyof typeof KEY_PARTS)[]): CursorKey | undefined {
  if (q.cursor === undefined) return undefined;
  if (q.start > 0) throw appError('invalid_request', { message: 'query.cursor: give either cursor or start, not both', field: 'query.cursor' });
  const key = decodeCursor(q.cursor);
  if (!key || key.length !== parts.length || !parts.every((p, i) => KEY_PARTS[p].test(key[i]!))) {
    throw appError('invalid_request', { message: 'query.cursor: not a cursor of this list', field: 'query.cursor' });
  }
  return key;
}
