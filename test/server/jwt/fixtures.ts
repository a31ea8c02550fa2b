import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../../server/src/db/index.js';
import type { ResultTokenInput } from '../../../server/src/jwt/result.js';

export const issuer = 'https://veriframe.example';
export const T = new Date('2026-11-28T12:00:00Z');
export const at = (seconds: number) => new Date(T.getTime() + seconds * 1000);

/** What the widget signs after a login; each call is a new login (own user, nonce). */
export function loginResult(resourceId: string, over: Partial<ResultTokenInput> = {}): ResultTokenInput {
  return {
    issuer,
    resourceId,
    userId: randomUUID(),
    login: 'alice',
    origin: 'https://shop.example',
    nonce: `n_${randomBytes(12).toString('base64url')}`,
    amr: ['pwd', 'otp'],
    authTime: at(-5),
    now: T,
    ...over,
  };
}

/**
 * The same database seen through another Kysely instance: what a second server process is to
 * the per-handle caches of this one.
 */
export const otherInstance = (db: Db): Db => db.withPlugin({ transformQuery: (a) => a.node, transformResult: async (a) => a.result });

export const parts = (jwt: string) => jwt.split('.') as [string, string, string];
