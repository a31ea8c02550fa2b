import { z } from '@hono/zod-openapi';

export const adminIdParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });
export const keyIdParams = adminIdParam.extend({ keyId: z.uuid().openapi({ param: { name: 'keyId', in: 'path' } }) });

export const principalSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role: z.enum(['superuser', 'admin']),
    keyId: z.uuid(),
    resourceIds: z.array(z.uuid()),
  })
  .openapi('CurrentAdmin');

export const apiKeySchema = z
  .object({
    id: z.uuid(),
    adminId: z.uuid(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'First characters of the key, to tell keys apart.' }),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
  })
  .openapi('ApiKey');

export const createKeyBody = z.object({ name: z.string().trim().min(1).max(100) }).strict();

export const createdKeySchema = apiKeySchema
  .extend({ apiKey: z.string().openapi({ description: 'The key itself. Shown once; only its hash is stored.' }) })
  .openapi('CreatedApiKey');

export const keyListSchema = z.object({ items: z.array(apiKeySchema), total: z.number().int() }).openapi('ApiKeyList');

type KeyRecord = {
  id: string;
  adminId: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  expiresAt: Date | null;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function keyJson(k: KeyRecord): z.infer<typeof apiKeySchema> {
  return {
    id: k.id,
    adminId: k.adminId,
    name: k.name,
    prefix: k.prefix,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: iso(k.lastUsedAt),
    revokedAt: iso(k.revokedAt),
    expiresAt: iso(k.expiresAt),
  };
}

export const adminSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role: z.enum(['superuser', 'admin']),
    active: z.boolean(),
    resourceIds: z.array(z.uuid()),
    createdBy: z.uuid().nullable(),
    createdAt: z.string(),
    consoleUserId: z.uuid().nullable().openapi({
      description:
        'The user this administrator signs in to the console as; other administrators cannot change or delete it, its password or its token (403 sign_in_protected).',
    }),
  })
  .openapi('Administrator');

export const createAdminBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    role: z.enum(['superuser', 'admin']),
    resourceIds: z.array(z.uuid()).max(1000).default([]),
  })
  .strict()
  .openapi('CreateAdministrator');

export const patchAdminBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    role: z.enum(['superuser', 'admin']).optional(),
    active: z.boolean().optional(),
    resourceIds: z.array(z.uuid()).max(1000).optional(),
  })
  .strict()
  .openapi('PatchAdministrator');

export const createdAdminSchema = adminSchema
  .extend({ apiKey: z.string().openapi({ description: 'The first API key of the administrator. Shown once.' }) })
  .openapi('CreatedAdministrator');
