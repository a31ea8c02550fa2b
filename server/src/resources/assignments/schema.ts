import { z } from '@hono/zod-openapi';
import { listSchema } from '../../http/paging.js';
import { tokenKinds, tokenTypes } from '../../tokens/schema.js';

const pathId = (name: string) => z.uuid().openapi({ param: { name, in: 'path' } });

export const userParams = z.object({ id: pathId('id'), userId: pathId('userId') });
export const tokenParams = z.object({ id: pathId('id'), tokenId: pathId('tokenId') });
export const userTokenBody = z.object({ tokenId: z.uuid() }).strict().openapi('UserTokenAssignment');

export const resourceUserSchema = z
  .object({
    userId: z.uuid(),
    login: z.string(),
    email: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    active: z.boolean(),
    tokenId: z.uuid().nullable().openapi({ description: 'The token this user authenticates with in this resource ("user with token"); null = password only.' }),
    assignedAt: z.string(),
    assignedBy: z.uuid().nullable(),
  })
  .openapi('ResourceUser');

export const resourceTokenSchema = z
  .object({
    tokenId: z.uuid(),
    name: z.string(),
    serialNumber: z.string().nullable(),
    kind: z.enum(tokenKinds),
    type: z.enum(tokenTypes),
    active: z.boolean(),
    locked: z.boolean(),
    userId: z.uuid().nullable(),
    assignedAt: z.string(),
    assignedBy: z.uuid().nullable(),
  })
  .openapi('ResourceToken');

export const resourceUserListSchema = listSchema(resourceUserSchema, 'ResourceUserList');
export const resourceTokenListSchema = listSchema(resourceTokenSchema, 'ResourceTokenList');

type Assigned = { assignedAt: Date; assignedBy: string | null };
const withIso = <T extends Assigned>(row: T) => ({ ...row, assignedAt: row.assignedAt.toISOString() });

export const resourceUserJson = (row: Omit<z.infer<typeof resourceUserSchema>, 'assignedAt'> & Assigned): z.infer<typeof resourceUserSchema> => withIso(row);
export const resourceTokenJson = (row: Omit<z.infer<typeof resourceTokenSchema>, 'assignedAt'> & Assigned): z.infer<typeof resourceTokenSchema> => withIso(row);
