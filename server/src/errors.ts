import { errorTable, type ErrorBody, type ErrorCode } from '../../shared/errors.js';

// Errors are plain Error objects with a brand rather than a class hierarchy (house style: no
// classes); `isAppError` is the only way code should recognise them.
const brand = Symbol.for('veriframe.AppError');

export interface AppError extends Error {
  readonly [brand]: true;
  readonly code: ErrorCode;
  readonly status: number;
  readonly field?: string;
  readonly details?: unknown;
}

export function appError(code: ErrorCode, opts: { message?: string; field?: string; details?: unknown } = {}): AppError {
  const entry = errorTable[code];
  const err = new Error(opts.message ?? entry.message) as Error & Record<string | symbol, unknown>;
  err[brand] = true;
  err.code = code;
  err.status = entry.status;
  if (opts.field !== undefined) err.field = opts.field;
  if (opts.details !== undefined) err.details = opts.details;
  return err as unknown as AppError;
}

export function isAppError(err: unknown): err is AppError {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[brand] === true;
}

export function errorBody(err: AppError): ErrorBody {
  const body: ErrorBody = { error: { code: err.code, message: err.message } };
  if (err.field !== undefined) body.error.field = err.field;
  if (err.details !== undefined) body.error.details = err.details;
  return body;
}
