import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { KeyRing } from '../crypto/secretbox.js';
import { verifyAgainstDummy, verifyPassword } from '../crypto/password.js';
import type { Db } from '../db/index.js';
import type { ResourceRow, TokenRow, UserRow } from '../db/types.js';
import type { Delivery } from '../delivery/types.js';
import { appendEvent, type NewEvent } from '../events/repository.js';
import { evaluateFilters, type FilterRowLike } from '../filters/evaluate.js';
import type { Logger } from '../logger.js';
import { precompiled } from '../db/precompiled.js';
import { uuid } from '../resources/secret.js';
import { findToken } from '../tokens/repository.js';
import { verifyTokenOtp, type AttemptEvents, type VerifyPolicy } from '../tokens/verify.js';
import { findUserByLogin } from '../users/repository.js';
import { recordThrottleFailure, throttleWait, waitFor, type ThrottleState } from './throttle.js';

export interface AuthDeps {
  db: Db;
  keyRing: KeyRing;
  log: Logger;
  now: () => Date;
  delivery?: Delivery;
}

export type AuthMethodName = 'token' | 'password' | 'user-token' | 'user-password-token';

/** Precise reasons, for the site's backend only; end users see one generic message. */
export type AuthReason =
  | 'invalid_credentials'
  | 'locked'
  | 'filtered'
  | 'inactive_user'
  | 'inactive_token'
  | 'inactive_resource'
  | 'not_assigned'
  | 'throttled'
  | 'expired_challenge'
  | 'not_supported'
  | 'no_destination'
  | 'delivery_failed';

export type Amr = 'pwd' | 'otp' | 'bypass';

export interface AuthOutcome {
  result: boolean;
  reason?: AuthReason;
  retryAfter?: number;
  amr?: Amr[];
  userId?: string;
  tokenId?: string;
  challenge?: string;
  /** The filter that refused the attempt (for the event; never sent to clients). */
  filter?: { id: string; type: string };
  /** The attempt's event is written already (together with the token's update). */
  recorded?: boolean;
}

export interface AuthContext {
  resourceId: string;
  ip: string | null;
  userAgent: string | null;
  /** Who is asking: 'api' (server-to-server) or 'widget'. */
  channel: 'api' | 'widget';
  /** The resource as this request read it already (HTTP Basic check), so prelude need not read it again. */
  loaded?: LoadedResource;
}

/** A resource and its enabled filters: what every attempt reads first. */
export interface LoadedResource {
  resource: ResourceRow;
  filters: FilterRowLike[];
}

/**
 * The resource with its enabled filters, in one query (the secret hash is in the row, so the
 * HTTP Basic check needs nothing else). Undefined for an unknown or malformed id.
 */
export async function loadResource(db: Db, id: string): Promise<LoadedResource | undefined> {
  if (!uuid.test(id)) return undefined;
  const row = (await loadResourceQuery(db, { id })).rows[0];
  if (!row) return undefined;
  const { enabledFilters, ...resource } = row;
  return { resource, filters: enabledFilters };
}

const loadResourceQuery = precompiled((db, p: { id: string }) =>
  db
    .selectFrom('resources')
    .selectAll('resources')
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('filters')
          .select(['filters.id', 'filters.type', 'filters.mode', 'filters.config', 'filters.enabled'])
          .whereRef('filters.resourceId', '=', 'resources.id')
          .where('filters.enabled', '=', true)
          .orderBy('filters.createdAt')
          .orderBy('filters.id'),
      ).as('enabledFilters'),
    )
    .where('resources.id', '=', p.id),
);

export const policyOf = (r: ResourceRow): VerifyPolicy => ({
  resourceId: r.id,
  failedAttemptsLimit: r.failedAttemptsLimit,
  otpWindow: r.otpWindow,
  hotpLookAhead: r.hotpLookAhead,
  progressiveUnlock: r.progressiveUnlock,
});

export const throttlePolicy = (r: ResourceRow) => ({ maxFailures: r.throttleMaxFailures, windowSeconds: r.throttleWindowSeconds });

/**
 * What every attempt checks first (DESIGN §5): resource active → IP throttle → filters. `read`
 * is the caller's readAttempt for this attempt, whose throttle window is then not read again.
 */
export async function prelude(deps: AuthDeps, ctx: AuthContext, now: Date, read?: AttemptRead): Promise<{ resource: ResourceRow } | { outcome: AuthOutcome }> {
  const loaded = ctx.loaded?.resource.id === ctx.resourceId ? ctx.loaded : await loadResource(deps.db, ctx.resourceId);
  if (!loaded || !loaded.resource.active) return { outcome: { result: false, reason: 'inactive_resource' } };
  const { resource, filters } = loaded;
  const policy = throttlePolicy(resource);
  const wait = read ? waitFor(read.throttle, policy, now) : await throttleWait(deps.db, resource.id, ctx.ip, policy, now);
  if (wait > 0) return { outcome: { result: false, reason: 'throttled', retryAfter: wait } };
  const verdict = evaluateFilters(filters, { ip: ctx.ip, userAgent: ctx.userAgent, now });
  if (!verdict.ok) return { outcome: { result: false, reason: 'filtered', filter: { id: verdict.filterId, type: verdict.type } } };
  return { resource };
}

/** Password check that costs one argon2id verification whether or not the user or hash exists. */
export async function checkPassword(user: UserRow | undefined, password: string): Promise<boolean> {
  if (!user?.passwordHash) return verifyAgainstDummy(password);
  return verifyPassword(user.passwordHash, password);
}

export async function isUserAssigned(db: Db, resourceId: string, userId: string): Promise<boolean> {
  const direct = await db.selectFrom('resource_users').select('userId').where('resourceId', '=', resourceId).where('userId', '=', userId).executeTakeFirst();
  if (direct) return true;
  return (await userTokenId(db, resourceId, userId)) !== undefined;
}

export async function userTokenId(db: Db, resourceId: string, userId: string): Promise<string | undefined> {
  const row = await db.selectFrom('resource_user_tokens').select('tokenId').where('resourceId', '=', resourceId).where('userId', '=', userId).executeTakeFirst();
  return row?.tokenId;
}

/** The token paired with the user in the resource ("user with token"), read in one query. */
export async function pairedToken(db: Db, resourceId: string, userId: string): Promise<TokenRow | undefined> {
  return db
    .selectFrom('resource_user_tokens as rut')
    .innerJoin('tokens', 'tokens.id', 'rut.tokenId')
    .selectAll('tokens')
    .where('rut.resourceId', '=', resourceId)
    .where('rut.userId', '=', userId)
    .executeTakeFirst();
}

async function isTokenAssigned(db: Db, resourceId: string, tokenId: string): Promise<boolean> {
  const direct = await db.selectFrom('resource_tokens').select('tokenId').where('resourceId', '=', resourceId).where('tokenId', '=', tokenId).executeTakeFirst();
  if (direct) return true;
  return (await db.selectFrom('resource_user_tokens').select('tokenId').where('resourceId', '=', resourceId).where('tokenId', '=', tokenId).executeTakeFirst()) !== undefined;
}

export interface AuthRequest {
  method: AuthMethodName;
  login?: string;
  password?: string;
  otp?: string;
  tokenId?: string;
}

type Identified = { user?: UserRow; token?: TokenRow };

/** What an attempt with a login needs besides the resource, read by readAttempt in one query. */
export interface AttemptRead {
  /** The IP's throttle window (undefined: no failures recorded, or no IP). */
  throttle: ThrottleState | undefined;
  user?: UserRow;
  /** The token paired with the user in this resource ("user with token"). */
  token?: TokenRow;
  /** Whether the user is assigned to the resource directly. */
  assignedDirectly: boolean;
}

/**
 * The IP's throttle window, the user by login (as findUserByLogin finds it), the token paired
 * with the user in the resource and whether the user is assigned directly: one query instead of
 * four round trips on the authentication hot path. The token is the select's own row
 * (`tokens.*`, every column with its usual type); the user's columns are listed one by one, and
 * building the UserRow from them makes the compiler name any column this list misses.
 */
export async function readAttempt(db: Db, resourceId: string, ip: string | null, login: string): Promise<AttemptRead> {
  const params = { resourceId, ip: ip ?? '', login: login.normalize('NFC') };
  const row = (await (ip === null ? readAttemptQuery : readAttemptWithIpQuery)(db, params)).rows[0]!;
  const { uId, uLogin, uEmail, uPhone, uFirstName, uLastName, uPasswordHash, uActive, uCreatedBy, uCreatedAt, uUpdatedAt, assignedDirectly, throttleWindowStart, throttleFailures, ...token } = row;
  const user: UserRow | undefined =
    uId === null
      ? undefined
      : { id: uId, login: uLogin!, email: uEmail, phone: uPhone, firstName: uFirstName, lastName: uLastName, passwordHash: uPasswordHash, active: uActive!, createdBy: uCreatedBy, createdAt: uCreatedAt!, updatedAt: uUpdatedAt! };
  return {
    throttle: throttleWindowStart !== null && throttleFailures !== null ? { windowStart: throttleWindowStart, failures: throttleFailures } : undefined,
    ...(user ? { user } : {}),
    ...(token.id !== null ? { token: token as TokenRow } : {}),
    assignedDirectly: Boolean(assignedDirectly),
  };
}

type ReadParams = { resourceId: string; ip: string; login: string };

const readAttemptBuilder = (withIp: boolean) => (db: Db, p: ReadParams) =>
  db
    .selectFrom(sql<{ one: number }>`(select 1 as one)`.as('one'))
    .leftJoin('users as u', (join) => join.on(sql<boolean>`lower(u.login) = lower(${p.login})`))
    .leftJoin('resource_user_tokens as rut', (join) => join.onRef('rut.userId', '=', 'u.id').on('rut.resourceId', '=', p.resourceId))
    .leftJoin('tokens', 'tokens.id', 'rut.tokenId')
    .selectAll('tokens')
    .select([
      'u.id as uId',
      'u.login as uLogin',
      'u.email as uEmail',
      'u.phone as uPhone',
      'u.firstName as uFirstName',
      'u.lastName as uLastName',
      'u.passwordHash as uPasswordHash',
      'u.active as uActive',
      'u.createdBy as uCreatedBy',
      'u.createdAt as uCreatedAt',
      'u.updatedAt as uUpdatedAt',
    ])
    .select((eb) => [
      eb.exists(eb.selectFrom('resource_users as ru').select('ru.userId').whereRef('ru.userId', '=', 'u.id').where('ru.resourceId', '=', p.resourceId)).as('assignedDirectly'),
      (withIp ? eb.selectFrom('auth_throttle').select('windowStart').where('resourceId', '=', p.resourceId).where('ip', '=', p.ip) : sql<Date | null>`null`).as('throttleWindowStart'),
      (withIp ? eb.selectFrom('auth_throttle').select('failures').where('resourceId', '=', p.resourceId).where('ip', '=', p.ip) : sql<number | null>`null`).as('throttleFailures'),
    ]);

const readAttemptQuery = precompiled(readAttemptBuilder(false));
const readAttemptWithIpQuery = precompiled(readAttemptBuilder(true));

/**
 * Finds who is authenticating and checks state and assignment; an outcome means "stop here".
 * `read` is the caller's readAttempt for this login; without it the rows are read here.
 */
export async function identify(deps: AuthDeps, resource: ResourceRow, req: AuthRequest, read?: AttemptRead): Promise<Identified | AuthOutcome> {
  if (req.method === 'token') {
    const token = req.tokenId ? await findToken(deps.db, req.tokenId) : undefined;
    if (!token || !(await isTokenAssigned(deps.db, resource.id, token.id))) return { result: false, reason: 'not_assigned' };
    return { token };
  }
  const user = read ? read.user : await findUserByLogin(deps.db, req.login ?? '');
  if (!user) {
    // Unknown users cost what known ones cost, so timing does not tell them apart.
    if (req.password !== undefined) await verifyAgainstDummy(req.password);
    return { result: false, reason: 'invalid_credentials' };
  }
  if (!user.active) return { result: false, reason: 'inactive_user' };
  if (req.method === 'password') {
    const assigned = read ? read.assignedDirectly || read.token !== undefined : await isUserAssigned(deps.db, resource.id, user.id);
    return assigned ? { user } : { result: false, reason: 'not_assigned' };
  }
  const token = read ? read.token : await pairedToken(deps.db, resource.id, user.id);
  if (!token) return { result: false, reason: 'not_assigned' };
  return { user, token };
}

/** Checks the credentials of one attempt; state and assignment were checked by identify. */
async function checkCredentials(deps: AuthDeps, resource: ResourceRow, ctx: AuthContext, req: AuthRequest, who: Identified, now: Date): Promise<AuthOutcome> {
  const amr: Amr[] = [];
  if (req.method === 'password' || req.method === 'user-password-token') {
    if (!(await checkPassword(who.user, req.password ?? ''))) return { result: false, reason: 'invalid_credentials' };
    amr.push('pwd');
  }
  if (req.method === 'password') return { result: true, amr };
  const token = who.token!;
  // An inactive token takes no part: password+OTP then rests on the password alone (seeds).
  if (!token.active) return req.method === 'user-password-token' ? { result: true, amr } : { result: false, reason: 'inactive_token' };
  // The attempt's own event goes with the token's update when the code is consumed (or found
  // replayed): one statement and one commit for the whole success.
  const events: AttemptEvents = {
    success: attemptEvent(ctx, req, { result: true, amr: [...amr, 'otp'] }, who),
    failure: attemptEvent(ctx, req, { result: false, reason: 'invalid_credentials' }, who),
  };
  const verified = await verifyTokenOtp(deps.db, deps.keyRing, token, { otp: req.otp ?? '', ip: ctx.ip, actor: ctx.channel }, policyOf(resource), now, events);
  if (verified.ok) return { result: true, amr: [...amr, verified.amr], ...(verified.recorded ? { recorded: true } : {}) };
  if (verified.recorded) return { result: false, reason: 'invalid_credentials', recorded: true };
  if (verified.justLocked) await notifyLock(deps, who.user, token);
  const reason: AuthReason = verified.reason === 'locked' ? 'locked' : verified.reason === 'expired_challenge' ? 'expired_challenge' : verified.reason === 'not_supported' ? 'not_supported' : verified.reason === 'inactive' ? 'inactive_token' : 'invalid_credentials';
  return { result: false, reason };
}

/** Tells the user by e-mail that their token locked; a failed notice never fails the request. */
export async function notifyLock(deps: AuthDeps, user: UserRow | undefined, token: TokenRow): Promise<void> {
  if (!user?.email || !deps.delivery) return;
  try {
    await deps.delivery.send({
      channel: 'email',
      to: user.email,
      subject: 'Your sign-in token was locked',
      text: `Hello ${user.firstName ?? user.login},\n\nyour token "${token.name}" was locked after too many wrong codes. If this was not you, tell your administrator.\n`,
      kind: 'lock-notice',
    });
  } catch (err) {
    deps.log.warn({ tokenId: token.id, err: (err as Error).message }, 'lock notice could not be delivered');
  }
}

/** One authentication attempt, as every entry point (server-to-server API, widget) makes it. */
export async function authenticate(deps: AuthDeps, ctx: AuthContext, req: AuthRequest): Promise<AuthOutcome> {
  const now = deps.now();
  // With a login, the throttle window, the user and their token come in one read (the resource
  // came with the credentials check): the checks below still run in their order.
  const read = req.method !== 'token' ? await readAttempt(deps.db, ctx.resourceId, ctx.ip, req.login ?? '') : undefined;
  const pre = await prelude(deps, ctx, now, read);
  if ('outcome' in pre) return record(deps, ctx, req, pre.outcome, {});
  const who = await identify(deps, pre.resource, req, read);
  const outcome = 'result' in who ? who : await checkCredentials(deps, pre.resource, ctx, req, who, now);
  if (!outcome.result && (outcome.reason === 'invalid_credentials' || outcome.reason === 'locked')) {
    await recordThrottleFailure(deps.db, pre.resource.id, ctx.ip, throttlePolicy(pre.resource), now);
  }
  const ids = 'result' in who ? {} : who;
  const final = { ...outcome, ...(outcome.result && ids.user ? { userId: ids.user.id } : {}), ...(outcome.result && ids.token ? { tokenId: ids.token.id } : {}) };
  return outcome.recorded ? final : record(deps, ctx, req, final, ids);
}

export async function record(deps: AuthDeps, ctx: AuthContext, req: AuthRequest, outcome: AuthOutcome, who: Identified, type?: string): Promise<AuthOutcome> {
  await appendEvent(deps.db, attemptEvent(ctx, req, outcome, who, type));
  return outcome;
}

/** The event that records one attempt (auth.success, auth.failure, or `type`). */
function attemptEvent(ctx: AuthContext, req: AuthRequest, outcome: AuthOutcome, who: Identified, type?: string): NewEvent {
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
      ...(outcome.filter ? { filterId: outcome.filter.id, filterType: outcome.filter.type } : {}),
      ...(!who.user && req.login ? { login: req.login.slice(0, 100) } : {}),
    },
  };
}
