import { z } from '@hono/zod-openapi';
import { errorTable } from '../../../shared/errors.js';

export const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(errorTable) as [keyof typeof errorTable, ...(keyof typeof errorTable)[]]),
      message: z.string(),
      field: z.string().optional(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorSchema } } });

/** The error responses every authenticated admin route can give. */
export const adminErrors = {
  400: errorResponse('Malformed request (bad JSON or a field with the wrong type).'),
  401: errorResponse('No API key, or an unknown, revoked or expired one.'),
  403: errorResponse('This administrator may not do that.'),
  404: errorResponse('No such object.'),
  413: errorResponse('Body larger than 1 MB.'),
} as const;

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const jsonResponse = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});

export const bearerAuth = [{ apiKey: [] }];

type Method = 'get' | 'post' | 'patch' | 'delete' | 'put';

/** The common part of an admin route's definition: one tag (the domain) and the API key. */
export const adminRoute =
  (tags: string[]) =>
  <P extends string, M extends Method>(method: M, path: P, summary: string) => ({ method, path, summary, tags, security: bearerAuth });
