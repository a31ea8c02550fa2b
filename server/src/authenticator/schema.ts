import { z } from '@hono/zod-openapi';

// Size limit of a server backup: the app's envelope in base64url. 512 KiB holds thousands of
// tokens; the database checks a little more (700 000) so the API is the one that refuses, clearly.
export const BACKUP_MAX_CHARS = 512 * 1024;

export const backupIdParams = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{22}$/)
    .openapi({ param: { name: 'id', in: 'path' }, description: 'The backup id (128 bits, base64url).', example: 'q3Vx8mB0v4TzP1nQe7K2aA' }),
});

export const backupKeyHeaders = z.object({
  'x-veriframe-backup-key': z
    .string()
    .optional()
    .openapi({ param: { in: 'header' }, description: 'The write key returned when the backup was created.' }),
});

export const backupBody = z
  .object({
    data: z
      .string()
      .min(1)
      .max(BACKUP_MAX_CHARS)
      .regex(/^[A-Za-z0-9_.-]+$/)
      .openapi({ description: 'The encrypted backup as the app made it (base64url; the server cannot read it).' }),
  })
  .openapi('AppBackupBody');

export const backupCreated = z
  .object({
    id: z.string(),
    writeKey: z.string().openapi({ description: 'Needed to replace or delete the backup (header X-Veriframe-Backup-Key); shown once.' }),
    updatedAt: z.string(),
  })
  .openapi('AppBackupCreated');

export const backupView = z.object({ data: z.string(), updatedAt: z.string() }).openapi('AppBackup');
export const backupUpdated = z.object({ updatedAt: z.string() }).openapi('AppBackupUpdated');
export const timeView = z
  .object({ epochMs: z.number().int().openapi({ description: "The server's clock, milliseconds since the Unix epoch." }), iso: z.string() })
  .openapi('AppServerTime');
