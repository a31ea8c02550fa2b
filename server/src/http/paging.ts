import { z } from '@hono/zod-openapi';

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
