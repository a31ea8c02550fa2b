import { begin, identify, isOutcome, secondFactor, settle, attemptEvents } from './pipeline.js';
import { record } from './record.js';
import type { Amr, AuthContext, AuthDeps, AuthOutcome, AuthRequest, Identified } from './types.js';

export type { AuthContext, AuthDeps, AuthOutcome, AuthRequest, LoadedResource } from './types.js';
export { loadResource } from './repository.js';

/** Options of one attempt: an OCRA answer may confirm a transaction instead of a login. */
export interface AttemptOptions {
  purpose?: 'transaction';
  /** The keyed hash of the transaction data for the token identify found. */
  dataFor?: (tokenId: string) => Buffer;
  /** Only this token type can answer (transaction signing: OCRA; push-status: push). */
  tokenType?: 'ocra' | 'push';
  /** Push tokens: the challenge whose decision is asked for. */
  challengeId?: string;
}

/**
 * One authentication attempt of the server-to-server API, through the one pipeline
 * (pipeline.ts): begin → identify → second factor → settle → record.
 */
export async function authenticate(deps: AuthDeps, ctx: AuthContext, req: AuthRequest, opts: AttemptOptions = {}): Promise<AuthOutcome> {
  const { tokenType, purpose, dataFor, challengeId } = opts;
  const now = deps.now();
  const started = await begin(deps, ctx, now, { reserve: true, ...(req.method !== 'token' ? { login: req.login ?? '' } : {}) });
  if ('outcome' in started) return record(deps, ctx, req, started.outcome, {});
  const a = started.attempt;
  const found = await identify(a, req);
  const who: Identified = isOutcome(found) ? {} : found;
  let outcome: AuthOutcome;
  if (isOutcome(found)) outcome = found;
  else if (req.method === 'password') outcome = { result: true, amr: ['pwd'] };
  else if (tokenType && found.token!.type !== tokenType) outcome = { result: false, reason: 'not_supported' };
  else {
    const amr: Amr[] = req.password !== undefined ? ['pwd'] : [];
    const token = found.token!;
    const bound = { ...(purpose ? { purpose } : {}), ...(dataFor ? { dataHash: dataFor(token.id) } : {}), ...(challengeId ? { challengeId } : {}) };
    outcome = await secondFactor(a, req, { ...found, token }, { amr, events: attemptEvents(a, req, found, amr), ...bound });
  }
  await settle(a, outcome);
  // A push sign-in still waiting for the app is asked about again and again: no event each time.
  if (outcome.reason === 'push_pending') return outcome;
  const final = {
    ...outcome,
    ...(outcome.result && who.user ? { userId: who.user.id } : {}),
    ...(outcome.result && who.token ? { tokenId: who.token.id } : {}),
  };
  return outcome.recorded ? final : record(deps, ctx, req, final, who);
}
