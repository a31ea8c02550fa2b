import type { MiddlewareHandler } from 'hono';
import type { Principal } from '../access/principal.js';
import type { Db } from '../db/index.js';
import { appError } from '../errors.js';
import { authenticateKey } from './keys-service.js';

export type AdminEnv = { Variables: { principal: Principal } };

const bearer = /^Bearer[ ]+(\S+)$/i;

/** Requires `Authorization: Bearer vf_...` with an active key of an active administrator. */
export function requireAdmin(db: Db, now: () => Date = () => new Date()): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) throw appError('unauthorized');
    const match = bearer.exec(header);
    if (!match) throw appError('unauthorized', { message: 'The Authorization header must be "Bearer <api key>".' });
    const principal = await authenticateKey(db, match[1]!, now());
    if (!principal) throw appError('invalid_api_key');
    c.set('principal', principal);
    await next();
  };
}
