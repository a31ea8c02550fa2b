// The iframe's JSON API (/widget/api/..., same origin, no cookies). Answers are checked before
// use: a malformed answer becomes the error `protocol` instead of a half-drawn step.
import { widgetEnrollTypes, type EnrollAnswer, type OtpStep, type ResendAnswer, type StartAnswer, type StepAnswer } from '../../../shared/protocol.js';

export interface ApiError {
  /** The server's error code, or `network` (no answer) / `protocol` (unusable answer). */
  code: string;
  status: number;
  /** Seconds, from details.retryAfter or the Retry-After header. */
  retryAfter?: number;
}

export type ApiResult<T> = { ok: true; data: T; serverTime: number } | { ok: false; error: ApiError };

type Json = Record<string, unknown>;
const isObject = (d: unknown): d is Json => typeof d === 'object' && d !== null && !Array.isArray(d);
const isSeconds = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 86_400;
const JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const otpTypes = ['totp', 'hotp', 'email', 'sms', 'bot', 'ocra'];

function isOtpStep(d: unknown): d is OtpStep {
  return (
    isObject(d) &&
    otpTypes.includes(d.type as string) &&
    Number.isInteger(d.digits) &&
    (d.digits as number) >= 4 &&
    (d.digits as number) <= 10 &&
    (d.challenge === undefined || (typeof d.challenge === 'string' && /^[A-Za-z0-9]{1,64}$/.test(d.challenge))) &&
    (d.type !== 'ocra' || typeof d.challenge === 'string') &&
    (d.resendAfter === undefined || isSeconds(d.resendAfter)) &&
    (d.pin === undefined || typeof d.pin === 'boolean')
  );
}

const isStart = (d: unknown): d is StartAnswer =>
  isObject(d) &&
  typeof d.transaction === 'string' &&
  typeof d.expiresAt === 'string' &&
  !Number.isNaN(Date.parse(d.expiresAt)) &&
  typeof d.password === 'boolean';

const isEnrollType = (t: unknown) => (widgetEnrollTypes as readonly unknown[]).includes(t);
const isEnrollStep = (d: unknown) => isObject(d) && Array.isArray(d.types) && d.types.length > 0 && d.types.every(isEnrollType);

const isStep = (d: unknown): d is StepAnswer =>
  isObject(d) &&
  ((d.step === 'otp' && isOtpStep(d.otp)) ||
    (d.step === 'enroll' && isEnrollStep(d.enroll)) ||
    (d.step === 'push' && isObject(d.push) && typeof d.push.expiresAt === 'string') ||
    (d.step === 'done' && typeof d.token === 'string' && JWS.test(d.token)));

const isEnroll = (d: unknown): d is EnrollAnswer =>
  isObject(d) &&
  isEnrollType(d.type) &&
  Number.isInteger(d.digits) &&
  (d.otpauthUri === undefined || (typeof d.otpauthUri === 'string' && d.otpauthUri.startsWith('otpauth://'))) &&
  (d.pushUri === undefined || (typeof d.pushUri === 'string' && d.pushUri.startsWith('vfpush://enroll?'))) &&
  (d.secret === undefined || (typeof d.secret === 'string' && /^[A-Z2-7]+=*$/.test(d.secret))) &&
  (d.sentTo === undefined || typeof d.sentTo === 'string');

const isResend = (d: unknown): d is ResendAnswer => isObject(d) && isSeconds(d.resendAfter);

async function post<T>(path: string, body: Json, valid: (d: unknown) => d is T): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(`/widget/api/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    return { ok: false, error: { code: 'network', status: 0 } };
  }
  const data: unknown = await res.json().catch(() => undefined);
  if (res.ok) {
    if (!valid(data)) return { ok: false, error: { code: 'protocol', status: res.status } };
    // The server's clock, to time the expiry without trusting the visitor's clock.
    return { ok: true, data, serverTime: Date.parse(res.headers.get('date') ?? '') };
  }
  const e = isObject(data) && isObject(data.error) ? data.error : {};
  const error: ApiError = { code: typeof e.code === 'string' ? e.code : res.status >= 500 ? 'server' : 'protocol', status: res.status };
  const header = Number(res.headers.get('retry-after') ?? NaN);
  const retryAfter = isObject(e.details) && isSeconds(e.details.retryAfter) ? e.details.retryAfter : isSeconds(header) ? header : undefined;
  if (retryAfter !== undefined) error.retryAfter = retryAfter;
  return { ok: false, error };
}

export const startTransaction = (b: { resourceId: string; origin: string; nonce: string; instance: string }) => post('start', b, isStart);
export const identify = (b: { transaction: string; login: string; password?: string }) => post('identify', b, isStep);
export const submitOtp = (b: { transaction: string; otp: string }) => post('otp', b, isStep);
/** Waiting for the app: to approve a sign-in (`push`) or to add the token being enrolled (`enroll/push`). */
export const pushWait = (path: 'push' | 'enroll/push', b: { transaction: string }) => post(path, b, isStep);
export const resend = (b: { transaction: string }) => post('resend', b, isResend);
export const enroll = (b: { transaction: string; type: string }) => post('enroll', b, isEnroll);
export const enrollConfirm = (b: { transaction: string; otp: string }) => post('enroll/confirm', b, isStep);
export const enrollResend = (b: { transaction: string }) => post('enroll/resend', b, isResend);

/** Milliseconds until an instant the server gave, measured on the server's clock when known. */
export function msUntil(iso: string, serverTime: number): number {
  const now = Number.isFinite(serverTime) ? serverTime : Date.now();
  return Math.max(0, Date.parse(iso) - now);
}

/** The result token's lifetime (exp − iat) in ms, or null; the payload is read, not verified. */
export function tokenLifetime(token: string): number | null {
  try {
    const part = token.split('.')[1] ?? '';
    const claims: unknown = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
    if (!isObject(claims) || typeof claims.exp !== 'number' || typeof claims.iat !== 'number') return null;
    const ms = (claims.exp - claims.iat) * 1000;
    return ms > 0 && ms <= 3_600_000 ? ms : null;
  } catch {
    return null;
  }
}
