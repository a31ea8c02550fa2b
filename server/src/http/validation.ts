import type { Hook } from '@hono/zod-openapi';
import { appError } from '../errors.js';

// Turns zod failures of route schemas into the one error shape, naming the first bad field so a
// client can point at it (`field: "body.allowedOrigins.0"`).
export const validationHook: Hook<unknown, any, any, unknown> = (result, c) => {
  if (result.success) return;
  const issue = result.error.issues[0];
  const where = result.target === 'json' ? 'body' : result.target;
  const field = [where, ...(issue?.path ?? [])].join('.');
  throw appError('invalid_request', { message: issue ? `${field}: ${issue.message}` : 'Invalid request.', field });
};
