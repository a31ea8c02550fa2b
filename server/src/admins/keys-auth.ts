import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Principal } from '../access/principal.js';
import { CSRF_HEADER, SESSION_COOKIE, authenticateSession } from '../console/sessions.js';
import type { Db } from '../db/index.js';
import { appError } from '../errors.js';
import { authenticateKey } from './keys-service.js';

export type AdminEnv = { Variables: { principal: Principal } };

const bearer = /^Bearer[ ]+(\S+)$/i;

/**
 * Requires `Authorization: Bearer vf_...` with an active key of an active administrator, or
 * (the web console, DESIGN §11) the `vf_console` session cookie together with the session's
 * `X-Veriframe-CSRF` header. A Bearer header wins: API keys work unchanged next to a session.
 */
export function requireAdmin(db: Db, now: () => Date = () => new Date()): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const cookie = header ? undefined : getCookie(c, SESSION_COOKIE);
    if (cookie !== undefined) {
      const checked = await authenticateSession(db, cookie, c.req.header(CSRF_HEADER), now());
      if ('refused' in checked) throw appError(checked.refused);
      c.set('principal', checked.principal);
      return next();
    }
    if (!header) throw appError('unauthorized');
    const match = bearer.exec(header);
    if (!match) throw appError('unauthorized', { message: 'The Authorization header must be "Bearer <api key>".' });
    const principal = await authenticateKey(db, match[1]!, now());
    if (!principal) throw appError('invalid_api_key');
    c.set('principal', principal);
    await next();
  };
}
