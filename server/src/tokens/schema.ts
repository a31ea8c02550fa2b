import { z } from '@hono/zod-openapi';
import { cursorListSchema, cursorPageQuery, pageQuery } from '../http/paging.js';
import type { TokenRow } from './repository.js';

export const tokenKinds = ['hardware', 'software', 'universal'] as const;
export const tokenTypes = ['totp', 'hotp', 'ocra', 'email', 'sms', 'bot', 'push'] as const;
export const algorithms = ['SHA1', 'SHA256', 'SHA512'] as const;

const digits = z.union([z.literal(6), z.literal(8)]);
const period = z.union([z.literal(30), z.literal(60)]);
export const pin = z.string().regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits');
// Serial numbers are printed on devices and typed by people: printable, no separators we use.
const serial = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._\-/]+$/, 'letters, digits and . _ - / only');
const code = z.string().min(4).max(40).regex(/^\d+$/, 'digits only');

export const idParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export const createTokenBody = z
  .object({
    kind: z.enum(tokenKinds),
    type: z.enum(tokenTypes),
    name: z.string().trim().min(1).max(100).optional(),
    serialNumber: serial.optional(),
    secret: z.string().max(200).optional().openapi({ description: 'Base32; required for hardware/universal OATH tokens, generated for software tokens.' }),
    algorithm: z.enum(algorithms).optional(),
    digits: digits.optional(),
    period: period.optional(),
    ocraSuite: z.string().max(64).optional(),
    pin: pin.optional(),
    pinPosition: z.enum(['before', 'after']).optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .openapi('CreateToken');
export type CreateTokenInput = z.infer<typeof createTokenBody>;

export const patchTokenBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    active: z.boolean().optional(),
    pin: pin.nullable().optional().openapi({ description: 'A new PIN, or null to remove it.' }),
    pinPosition: z.enum(['before', 'after']).optional(),
    digits: digits.optional(),
  })
  .strict()
  .openapi('PatchToken');
export type PatchTokenInput = z.infer<typeof patchTokenBody>;

export const checkBody = z.object({ otp: code, challenge: z.string().max(128).optional() }).strict();
export const syncBody = z.object({ otp1: code, otp2: code }).strict();
export const confirmBody = z
  .object({ otp: code.optional().openapi({ description: 'The confirming code; none for a push token (confirmed by its app registering).' }) })
  .strict()
  .openapi('ConfirmToken');
export const confirmationSchema = z
  .object({
    sentTo: z.string().openapi({ description: 'The address the code went to, masked (b…@example.com, …567).' }),
    expiresAt: z.string(),
  })
  .openapi('TokenConfirmation');
export const bypassBody = z
  .union([z.object({ hours: z.union([z.literal(1), z.literal(8), z.literal(12), z.literal(24)]) }).strict(), z.object({ permanent: z.literal(true) }).strict()])
  .openapi('Bypass');
export const userBody = z.object({ userId: z.uuid() }).strict();

export { pageQuery };

/**
 * `GET /tokens`: the paging of every list, with a prefix search (not "contains": a prefix is what
 * the `lower(...) text_pattern_ops` indexes can serve, so the search stays fast at any table size).
 */
export const tokenListQuery = cursorPageQuery.extend({
  search: pageQuery.shape.search.openapi({
    description:
      'Case-insensitive start of the serial number or of the name: `SN-0001` finds SN-000100 … SN-000199, `alice` finds "Alice phone" but `phone` does not. `%` and `_` are plain characters.',
  }),
});

export const tokenSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(tokenKinds),
    type: z.enum(tokenTypes),
    name: z.string(),
    serialNumber: z.string().nullable(),
    algorithm: z.enum(algorithms),
    digits: z.number(),
    period: z.number(),
    ocraSuite: z.string().nullable(),
    hasPin: z.boolean(),
    pinPosition: z.enum(['before', 'after']),
    active: z.boolean(),
    userId: z.uuid().nullable(),
    failedAttempts: z.number(),
    locked: z.boolean(),
    lockedAt: z.string().nullable(),
    bypass: z.object({ permanent: z.boolean(), until: z.string().nullable() }),
    drift: z.number(),
    lastUsedAt: z.string().nullable(),
    createdBy: z.uuid().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Token');

export const enrolledTokenSchema = tokenSchema
  .extend({
    otpauthUri: z.string().optional().openapi({ description: 'Only in the response that created or reissued a software TOTP/HOTP token.' }),
    qrSvg: z.string().optional().openapi({ description: 'QR code of otpauthUri (or pushUri) as SVG; shown once.' }),
    pushUri: z.string().optional().openapi({
      description:
        'Only when a push token was created or reissued: the `vfpush://enroll` link for the authenticator app (one-time secret, expires in 10 minutes).',
    }),
  })
  .openapi('EnrolledToken');

export const tokenListSchema = cursorListSchema(tokenSchema, 'TokenList');

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The public view of a token: never the secret, the PIN hash or the failed-code hash. */
export function tokenJson(t: TokenRow): z.infer<typeof tokenSchema> {
  return {
    id: t.id,
    kind: t.kind,
    type: t.type,
    name: t.name,
    serialNumber: t.serialNumber,
    algorithm: t.algorithm,
    digits: t.digits,
    period: t.period,
    ocraSuite: t.ocraSuite,
    hasPin: t.pinHash !== null,
    pinPosition: t.pinPosition,
    active: t.active,
    userId: t.userId,
    failedAttempts: t.failedAttempts,
    locked: t.locked,
    lockedAt: iso(t.lockedAt),
    bypass: { permanent: t.bypassPermanent, until: iso(t.bypassUntil) },
    drift: t.drift,
    lastUsedAt: iso(t.lastUsedAt),
    createdBy: t.createdBy,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}
