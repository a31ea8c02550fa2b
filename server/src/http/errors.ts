import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../db/faults.js';
import type { Logger } from '../logger.js';
import { appError, errorBody, isAppError, type AppError } from '../errors.js';

// PostgreSQL error classes that can only come from what the client sent (a text that is not a
// uuid, a duplicate, a dangling reference, an oversized value): they are the client's 4xx,
// never our 500. Anything else is a bug or an outage and is logged.
const pgClientErrors: Record<string, () => AppError> = {
  '22P02': () => appError('invalid_request', { message: 'A value has the wrong format.' }),
  '22001': () => appError('invalid_request', { message: 'A value is too long.' }),
  '22003': () => appError('invalid_request', { message: 'A number is out of range.' }),
  // A NUL byte or invalid UTF-8 cannot be stored in PostgreSQL text.
  '22021': () => appError('invalid_request', { message: 'A value contains characters that cannot be stored (e.g. NUL).' }),
  '22P05': () => appError('invalid_request', { message: 'A value contains characters that cannot be stored (e.g. NUL).' }),
  '23505': () => appError('conflict'),
  '23503': () => appError('conflict', { message: 'The request refers to an object that does not exist or is still in use.' }),
};

function fromHttpException(err: HTTPException): AppError {
  if (err.status === 400 && /json/i.test(err.message)) return appError('malformed_json');
  if (err.status === 413) return appError('payload_too_large');
  if (err.status === 401) return appError('unauthorized');
  if (err.status === 404) return appError('not_found');
  return appError('invalid_request', { message: err.message || undefined });
}

export function toAppError(err: unknown): AppError | undefined {
  if (isAppError(err)) return err;
  if (err instanceof HTTPException) return fromHttpException(err);
  if (err instanceof SyntaxError && /JSON/.test(err.message)) return appError('malformed_json');
  const pgCode = (err as { code?: unknown } | null)?.code;
  if (typeof pgCode === 'string' && pgCode in pgClientErrors) return pgClientErrors[pgCode]!();
  // An outage is not the client's fault nor our bug: 503 and "come back later" (DESIGN §15).
  if (isDatabaseUnavailable(err)) return appError('database_unavailable');
  return undefined;
}

export function errorResponse(c: Context, err: AppError) {
  if (err.status === 503) c.header('Retry-After', String(RETRY_AFTER_SECONDS));
  return c.json(errorBody(err), err.status as ContentfulStatusCode);
}

export function onError(log: Logger) {
  // An outage fails every request: one line per 10 s says so without flooding the log.
  let outageLoggedAt = -Infinity;
  return (err: Error, c: Context) => {
    const known = toAppError(err);
    if (known?.code === 'database_unavailable' && Date.now() - outageLoggedAt >= 10_000) {
      outageLoggedAt = Date.now();
      log.warn({ reason: err.message, method: c.req.method, path: c.req.path }, 'database unavailable: answering 503');
    }
    if (known) return errorResponse(c, known);
    // Only the error's name and stack are logged: request bodies, which may hold secrets, never.
    log.error({ err: { name: err.name, message: err.message, stack: err.stack }, method: c.req.method, path: c.req.path }, 'unhandled error');
    return errorResponse(c, appError('internal_error'));
  };
}

export function notFound(c: Context) {
  return errorResponse(c, appError('not_found', { message: `No such endpoint: ${c.req.method} ${c.req.path}` }));
}
