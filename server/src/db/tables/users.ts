// Users.
// Columns are camelCase here and snake_case in SQL (CamelCasePlugin); keep in step with ./migrations.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { DefaultTimestamp } from './columns.js';

export interface UsersTable {
  id: Generated<string>;
  /** Unique case-insensitively; look up with lower(login) = lower($1) to use the index. */
  login: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  /** argon2id PHC string; null = the user has no password. */
  passwordHash: string | null;
  active: Generated<boolean>;
  createdBy: string | null;
  createdAt: DefaultTimestamp;
  updatedAt: DefaultTimestamp;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
