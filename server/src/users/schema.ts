import { z } from '@hono/zod-openapi';
import type { UserRow } from '../db/types.js';
import { cursorListSchema } from '../http/paging.js';

// A login is typed at every sign-in and compared case-insensitively: NFC so that "é" typed either
// way is one login, and no whitespace, control or invisible format characters (a zero-width space
// would make two different logins look the same).
export const login = z
  .string()
  .trim()
  .normalize('NFC')
  .min(1)
  .max(100)
  .regex(/^[^\s\p{Cc}\p{Cf}]+$/u, 'no spaces, control or invisible characters')
  .openapi({ description: 'Unique case-insensitively.' });
// .check keeps trim before the format check (z.email().trim() would validate the untrimmed text).
export const email = z.string().trim().max(254).check(z.email());
export const phone = z
  .string()
  .trim()
  .regex(/^\+[0-9]{7,15}$/, 'an international number: + and 7 to 15 digits')
  .openapi({ example: '+4915112345678' });
export const name = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}]+$/u, 'no control characters');
// The upper bound keeps argon2 from hashing megabytes on request (a cheap DoS otherwise).
export const password = z.string().min(8).max(256).openapi({ description: '8 to 256 characters; stored as argon2id, never returned.' });

export const createUserBody = z
  .object({
    login,
    email: email.nullable().optional(),
    phone: phone.nullable().optional(),
    firstName: name.nullable().optional(),
    lastName: name.nullable().optional(),
    password: password.optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .openapi('CreateUser');
export type CreateUserInput = z.infer<typeof createUserBody>;

export const patchUserBody = z
  .object({
    login: login.optional(),
    email: email.nullable().optional(),
    phone: phone.nullable().optional(),
    firstName: name.nullable().optional(),
    lastName: name.nullable().optional(),
    password: password.nullable().optional().openapi({ description: 'A new password, or null to remove it.' }),
    active: z.boolean().optional(),
  })
  .strict()
  .openapi('PatchUser');
export type PatchUserInput = z.infer<typeof patchUserBody>;

export const idParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export { cursorPageQuery as pageQuery } from '../http/paging.js';

export const userSchema = z
  .object({
    id: z.uuid(),
    login: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    hasPassword: z.boolean(),
    active: z.boolean(),
    createdBy: z.uuid().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('User');

export const userListSchema = cursorListSchema(userSchema, 'UserList');

/** The public view of a user: never the password hash. */
export function userJson(u: UserRow): z.infer<typeof userSchema> {
  return {
    id: u.id,
    login: u.login,
    email: u.email,
    phone: u.phone,
    firstName: u.firstName,
    lastName: u.lastName,
    hasPassword: u.passwordHash !== null,
    active: u.active,
    createdBy: u.createdBy,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}
