import type { components } from './openapi.js';

/** Every error code the server can answer with (shared/errors.ts, through the OpenAPI document). */
export type ServerErrorCode = components['schemas']['Error']['error']['code'];
/** Failures that happen before the server answers, or an answer that is not Veriframe's. */
export type TransportErrorCode = 'timeout' | 'network_error' | 'unexpected_response';
export type ErrorCode = ServerErrorCode | TransportErrorCode;

/**
 * A failed call, as a value: `status` is the HTTP status (0 when no answer came), `code` the
 * server's error code or a transport code, `field` the offending input when the server names one.
 */
export interface ApiError {
  status: number;
  code: ErrorCode;
  message: string;
  field?: string;
  /** Seconds, from Retry-After (429, 503). */
  retryAfter?: number;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** Thrown by the admin client's fetch when no answer came (timeout, network); carries the same fields. */
export class VeriframeError extends Error implements ApiError {
  override name = 'VeriframeError';
  status = 0;
  constructor(
    public code: TransportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isVeriframeError = (err: unknown): err is VeriframeError => err instanceof VeriframeError;

/** The ApiError for a non-2xx answer, from its parsed `{"error": {...}}` body when it has one. */
export function errorFromBody(status: number, headers: Headers, body: unknown): ApiError {
  const retry = Number(headers.get('retry-after'));
  const extra = Number.isFinite(retry) && retry > 0 ? { retryAfter: retry } : {};
  const e = (body as { error?: { code?: unknown; message?: unknown; field?: unknown } } | undefined)?.error;
  if (e && typeof e.code === 'string' && typeof e.message === 'string') {
    return { status, code: e.code as ServerErrorCode, message: e.message, ...(typeof e.field === 'string' ? { field: e.field } : {}), ...extra };
  }
  return { status, code: 'unexpected_response', message: `HTTP ${status} without a Veriframe error body`, ...extra };
}

/** The ApiError for a thrown fetch (a VeriframeError from our transport, or anything else). */
export function errorFromThrown(err: unknown): ApiError {
  if (err instanceof VeriframeError) return { status: 0, code: err.code, message: err.message };
  return { status: 0, code: 'network_error', message: err instanceof Error ? err.message : String(err) };
}
