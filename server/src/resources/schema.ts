import { z } from '@hono/zod-openapi';
import type { ResourceRow } from '../db/types.js';
import { listSchema } from '../http/paging.js';
import { normaliseOrigin } from './origins.js';
import { portalSettingsOf, selfServiceInput, selfServiceSchema, selfServiceUrl } from './self-service.js';

export const authMethods = ['password', 'otp', 'password+otp'] as const;

export const idParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

const origin = z
  .string()
  .max(300)
  .superRefine((value, ctx) => {
    const r = normaliseOrigin(value);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason });
  })
  .openapi({ example: 'https://shop.example.com' });

const int = (min: number, max: number) => z.number().int().min(min).max(max);

// Shared by create and patch; every field is optional here and the create schema adds the name.
const settings = {
  active: z.boolean().optional(),
  allowedOrigins: z
    .array(origin)
    .max(50)
    .optional()
    .openapi({ description: 'Origins that may embed the widget: exact `scheme://host[:port]`, http or https, no wildcards. Stored normalised.' }),
  failedAttemptsLimit: int(3, 10).optional().openapi({ description: 'Wrong OTPs before the token locks (default 5).' }),
  otpWindow: int(0, 2).optional().openapi({ description: 'TOTP steps accepted either side of now (default 1).' }),
  hotpLookAhead: int(1, 50).optional().openapi({ description: 'HOTP counters searched ahead (default 10).' }),
  authMethod: z.enum(authMethods).optional().openapi({ description: 'What the widget asks for (default password+otp).' }),
  progressiveUnlock: z.boolean().optional().openapi({ description: 'Locked tokens unlock by themselves after 30 s, doubling up to 1 h (default false).' }),
  throttleMaxFailures: int(1, 100_000).optional().openapi({ description: 'Failures per client IP within the window before 429 (default 30).' }),
  throttleWindowSeconds: int(1, 86_400).optional().openapi({ description: 'Throttle window in seconds (default 300).' }),
  codeTtlSeconds: int(60, 600).optional().openapi({ description: 'Lifetime of codes sent by e-mail, SMS or bot (default 300).' }),
  selfService: selfServiceInput
    .optional()
    .openapi({ description: 'Self-service portal (DESIGN §12); merged field by field into what is stored. Everything is off by default.' }),
  enrollOnLogin: z
    .boolean()
    .optional()
    .openapi({ description: 'Offer a user of the resource without a token there enrolment inside the widget (default false).' }),
};

// Control characters have no place in a name, and PostgreSQL cannot store NUL in text at all.
const name = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters');

export const createResourceBody = z
  .object({ name: name.openapi({ description: 'Unique, case-insensitively.' }), ...settings })
  .strict()
  .openapi('CreateResource');
export type CreateResourceInput = z.infer<typeof createResourceBody>;

export const patchResourceBody = z
  .object({ name: name.optional(), ...settings })
  .strict()
  .openapi('PatchResource');
export type PatchResourceInput = z.infer<typeof patchResourceBody>;

export const resourceSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    active: z.boolean(),
    allowedOrigins: z.array(z.string()),
    failedAttemptsLimit: z.number().int(),
    otpWindow: z.number().int(),
    hotpLookAhead: z.number().int(),
    authMethod: z.enum(authMethods),
    progressiveUnlock: z.boolean(),
    throttleMaxFailures: z.number().int(),
    throttleWindowSeconds: z.number().int(),
    codeTtlSeconds: z.number().int(),
    selfService: selfServiceSchema,
    enrollOnLogin: z.boolean(),
    selfServiceUrl: z.string().nullable().openapi({ description: 'The portal address `PUBLIC_URL/self-service/{address}`; null while no address is set.' }),
    secretRotatedAt: z.string().nullable().openapi({ description: 'When the verification secret was last rotated; null if never.' }),
    createdBy: z.uuid().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Resource');

export const resourceWithSecretSchema = resourceSchema
  .extend({
    secret: z.string().openapi({ description: 'The verification secret (`vfs_…`) for the site backend. Shown once; only its SHA-256 is stored.' }),
  })
  .openapi('ResourceWithSecret');

export const resourceListSchema = listSchema(resourceSchema, 'ResourceList');

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The public view of a resource: never the secret hash. */
export function resourceJson(r: ResourceRow, publicUrl: string): z.infer<typeof resourceSchema> {
  const portal = portalSettingsOf(r.settings);
  return {
    id: r.id,
    name: r.name,
    active: r.active,
    allowedOrigins: r.allowedOrigins,
    failedAttemptsLimit: r.failedAttemptsLimit,
    otpWindow: r.otpWindow,
    hotpLookAhead: r.hotpLookAhead,
    authMethod: r.authMethod,
    progressiveUnlock: r.progressiveUnlock,
    throttleMaxFailures: r.throttleMaxFailures,
    throttleWindowSeconds: r.throttleWindowSeconds,
    codeTtlSeconds: r.codeTtlSeconds,
    selfService: portal.selfService,
    enrollOnLogin: portal.enrollOnLogin,
    selfServiceUrl: selfServiceUrl(publicUrl, portal.selfService.address),
    secretRotatedAt: iso(r.secretRotatedAt),
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
