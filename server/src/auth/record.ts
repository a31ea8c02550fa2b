import { appendEvent, type NewEvent } from '../events/repository.js';
import { countAttempt } from '../metrics/index.js';
import type { AuthContext, AuthDeps, AuthOutcome, AuthRequest, Identified } from './types.js';

// Every attempt is one event (DESIGN §3): who, what, resource, token, user, ip, result, reason.

export async function record(deps: AuthDeps, ctx: AuthContext, req: AuthRequest, outcome: AuthOutcome, who: Identified, type?: string): Promise<AuthOutcome> {
  const event = attemptEvent(ctx, req, outcome, who, type);
  await appendEvent(deps.db, event);
  countAttempt(event);
  return outcome;
}

/** The event that records one attempt (auth.success, auth.failure, or `type`). */
export function attemptEvent(ctx: AuthContext, req: AuthRequest, outcome: AuthOutcome, who: Identified, type?: string): NewEvent {
  return {
    type: type ?? (outcome.result ? 'auth.success' : 'auth.failure'),
    actor: ctx.channel,
    resourceId: ctx.resourceId,
    userId: who.user?.id ?? null,
    tokenId: who.token?.id ?? null,
    ip: ctx.ip,
    result: outcome.result ? 'success' : 'failure',
    reason: outcome.reason ?? null,
    // The login is kept for failed attempts of unknown users (to see attacks); never a secret.
    details: {
      method: req.method,
      ...(outcome.amr ? { amr: outcome.amr } : {}),
      ...(outcome.retryAfter !== undefined ? { retryAfter: outcome.retryAfter } : {}),
      ...(outcome.filter ? { filterId: outcome.filter.id, filterType: outcome.filter.type } : {}),
      ...(!who.user && req.login ? { login: req.login.slice(0, 100) } : {}),
    },
  };
}
