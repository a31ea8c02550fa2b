import { z } from '@hono/zod-openapi';
import { normaliseIp } from '../http/client-ip.js';

const login = z.string().trim().min(1).max(100);
const password = z.string().min(1).max(256);
// Codes are digits (OCRA with full-length hex answers aside); a PIN may be in front or behind.
const otp = z
  .string()
  .min(4)
  .max(140)
  .regex(/^[0-9A-Fa-f]+$/, 'digits only');
// Strictly parsed and normalised: a loose form ("127.1") must not slip past a deny filter.
const ip = z
  .string()
  .max(64)
  .refine((v) => normaliseIp(v) !== null, 'an IPv4 (dotted quad) or IPv6 address')
  .transform((v) => normaliseIp(v)!)
  .optional()
  .openapi({ description: "The end user's IP address, for filters and throttling." });

// The end user's browser, for user-agent filters: an enabled filter refuses a call without it.
const userAgent = z.string().max(512).optional().openapi({ description: "The end user's User-Agent header, for user-agent filters." });

export const resourceParam = z.object({ resourceId: z.uuid().openapi({ param: { name: 'resourceId', in: 'path' } }) });

export const tokenAuthBody = z.object({ tokenId: z.uuid(), otp, ip, userAgent }).strict().openapi('AuthToken');
export const passwordAuthBody = z.object({ login, password, ip, userAgent }).strict().openapi('AuthPassword');
export const userTokenAuthBody = z.object({ login, otp, ip, userAgent }).strict().openapi('AuthUserToken');
// The code is optional: a user whose token is deactivated signs in with the password alone
// (seeds); with an active token a missing code answers `otp_required`, which is not a guess.
export const userPasswordTokenAuthBody = z
  .object({
    login,
    password,
    otp: otp.optional().openapi({ description: 'The OTP (with PIN); may be left out when the token is deactivated or in bypass.' }),
    ip,
    userAgent,
  })
  .strict()
  .openapi('AuthUserPasswordToken');
export const prepareBody = z.object({ login, ip, userAgent }).strict().openapi('AuthPrepare');
export const signTransactionBody = z
  .object({ login, data: z.string().min(1).max(1000), ip, userAgent })
  .strict()
  .openapi('AuthSignTransaction');
export const verifyTransactionBody = z
  .object({ login, data: z.string().min(1).max(1000), otp, ip, userAgent })
  .strict()
  .openapi('AuthVerifySignedTransaction');

export const pushStatusBody = z
  .object({
    login,
    challenge: z.uuid().openapi({ description: '`push.challenge` of the prepare (or sign-transaction) answer.' }),
    data: z.string().min(1).max(1000).optional().openapi({ description: 'The transaction data, for a challenge opened by sign-transaction.' }),
    ip,
    userAgent,
  })
  .strict()
  .openapi('AuthPushStatus');

export const authResultSchema = z
  .object({
    result: z.boolean(),
    reason: z
      .enum([
        'invalid_credentials',
        'locked',
        'filtered',
        'inactive_user',
        'inactive_token',
        'inactive_resource',
        'not_assigned',
        'throttled',
        'expired_challenge',
        'not_supported',
        'no_destination',
        'delivery_failed',
        'otp_required',
        'push_pending',
        'push_denied',
      ])
      .optional(),
    retryAfter: z.number().int().optional().openapi({ description: 'Seconds to wait (throttled; locked when the lock or the login delay lifts by itself).' }),
    challenge: z.string().optional().openapi({ description: 'OCRA question to show the user (prepare, sign-transaction).' }),
    push: z.object({ challenge: z.uuid(), expiresAt: z.string() }).optional().openapi({
      description:
        "Push tokens (prepare, sign-transaction): the request sent to the user's authenticator app; ask `push-status` with `challenge` until the result is no longer `push_pending`.",
    }),
  })
  .openapi('AuthResult');
