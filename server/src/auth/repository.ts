import { sql, type Expression, type QueryCreator } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Database, Db } from '../db/index.js';
import { precompiled } from '../db/precompiled.js';
import type { TokenRow, UserRow } from '../db/types.js';
import { uuid } from '../resources/secret.js';
import { resourceCacheOf } from './resource-cache.js';
import { reservation, type ReserveParams } from './throttle.js';
import type { LoadedResource } from './types.js';

// The reads of an authentication attempt, each one query on the hot path.

/**
 * The resource with its enabled filters, in one query (the secret hash is in the row, so the
 * HTTP Basic check needs nothing else), or from the resource cache (resource-cache.ts) when the
 * database has a change feed. Undefined for an unknown or malformed id.
 */
export async function loadResource(db: Db, id: string): Promise<LoadedResource | undefined> {
  if (!uuid.test(id)) return undefined;
  const cache = resourceCacheOf(db);
  // Keyed as notifications name it: a uuid in lower case (PostgreSQL reads either case).
  return cache ? cache.get(id.toLowerCase(), () => readResource(db, id)) : readResource(db, id);
}

async function readResource(db: Db, id: string): Promise<LoadedResource | undefined> {
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

/** What an attempt with a login needs besides the resource, read by readAttempt in one query. */
export interface AttemptRead {
  user?: UserRow;
  /** The token paired with the user in this resource ("user with token"). */
  token?: TokenRow;
  /** Whether the user is assigned to the resource directly. */
  assignedDirectly: boolean;
}

/**
 * The user by login (as findUserByLogin finds it: lower() of the NFC login, the one
 * normalisation), the token paired with the user in the resource and whether the user is
 * assigned directly: one query instead of three round trips. The token is the select's own row
 * (`tokens.*`); the user's columns are listed one by one, and building the UserRow from them
 * makes the compiler name any column this list misses.
 */
export async function readAttempt(db: Db, resourceId: string, login: string): Promise<AttemptRead> {
  return attemptOf((await readAttemptQuery(db, { resourceId, login: login.normalize('NFC') })).rows[0]!);
}

/**
 * The throttle reservation (throttle.ts) and readAttempt in one statement: the reservation is a
 * CTE, and its result one more column. The checks still run in their order on what it returns;
 * the read itself changes nothing, so reading the user before the filters are evaluated is safe.
 */
export async function reserveAndReadAttempt(db: Db, reserve: ReserveParams, login: string): Promise<{ slotStart: Date | null; read: AttemptRead }> {
  const { slotStart, ...row } = (await reserveAndReadQuery(db, { ...reserve, login: login.normalize('NFC') })).rows[0]!;
  return { slotStart, read: attemptOf(row) };
}

/**
 * readAttempt and a look at the client's throttle window (throttle.ts throttleWait) in one read,
 * for a step that checks no credential: no slot is taken, the window is only looked at.
 */
export async function lookAndReadAttempt(db: Db, look: { resourceId: string; bucket: string }, login: string): Promise<Looked> {
  return lookedOf(look, (await lookAndReadQuery(db, { ...look, login: login.normalize('NFC') })).rows[0]!);
}

/** What lookAndReadAttempt returns: the client's window (none yet: undefined) and the read. */
export interface Looked {
  /** Which window was looked at, so that begin uses it only for that resource and client. */
  look: { resourceId: string; bucket: string };
  window?: { windowStart: Date; failures: number };
  read: AttemptRead;
}

export type LookedRow = Awaited<ReturnType<typeof lookAndReadQuery>>['rows'][number];

/** A row of lookAndReadSelect as lookAndReadAttempt returns it. */
export function lookedOf(look: Looked['look'], { throttleWindowStart, throttleFailures, ...row }: LookedRow): Looked {
  const window = throttleWindowStart !== null && throttleFailures !== null ? { windowStart: throttleWindowStart, failures: throttleFailures } : undefined;
  return { look, ...(window ? { window } : {}), read: attemptOf(row) };
}

type AttemptRow = Awaited<ReturnType<typeof readAttemptQuery>>['rows'][number];

function attemptOf(row: AttemptRow): AttemptRead {
  const { uId, uLogin, uEmail, uPhone, uFirstName, uLastName, uPasswordHash, uActive, uCreatedBy, uCreatedAt, uUpdatedAt, assignedDirectly, ...token } = row;
  const user: UserRow | undefined =
    uId === null
      ? undefined
      : {
          id: uId,
          login: uLogin!,
          email: uEmail,
          phone: uPhone,
          firstName: uFirstName,
          lastName: uLastName,
          passwordHash: uPasswordHash,
          active: uActive!,
          createdBy: uCreatedBy,
          createdAt: uCreatedAt!,
          updatedAt: uUpdatedAt!,
        };
  return {
    ...(user ? { user } : {}),
    ...(token.id !== null ? { token: token as TokenRow } : {}),
    assignedDirectly: Boolean(assignedDirectly),
  };
}

/** The user's columns with the `u` prefix attemptOf reads them by. */
const userColumns = [
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
] as const;

// `resourceId` may be a column of an enclosing statement (the widget's claim: lookAndReadSelect).
const attemptSelect = (db: QueryCreator<Database>, p: { resourceId: string | Expression<string>; login: string }) =>
  db
    .selectFrom(sql<{ one: number }>`(select 1 as one)`.as('one'))
    .leftJoin('users as u', (join) => join.on(sql<boolean>`lower(u.login) = lower(${p.login})`))
    .leftJoin('resource_user_tokens as rut', (join) => join.onRef('rut.userId', '=', 'u.id').on('rut.resourceId', '=', p.resourceId))
    .leftJoin('tokens', 'tokens.id', 'rut.tokenId')
    .selectAll('tokens')
    .select(userColumns)
    .select((eb) => [
      eb
        .exists(eb.selectFrom('resource_users as ru').select('ru.userId').whereRef('ru.userId', '=', 'u.id').where('ru.resourceId', '=', p.resourceId))
        .as('assignedDirectly'),
    ]);

const readAttemptQuery = precompiled((db, p: { resourceId: string; login: string }) => attemptSelect(db, p));

/**
 * readAttempt with the client's throttle window (the row throttle.ts throttleWait reads), joined
 * once. A statement of its own (lookAndReadAttempt) or part of the widget's claim of its identify
 * step (widget/transactions.ts claimAndLook), with the login normalised (NFC) by the caller.
 */
export const lookAndReadSelect = (db: QueryCreator<Database>, p: { resourceId: string | Expression<string>; bucket: string; login: string }) =>
  attemptSelect(db, p)
    .leftJoin('auth_throttle as th', (join) => join.on('th.resourceId', '=', p.resourceId).on('th.ip', '=', p.bucket))
    .select(['th.windowStart as throttleWindowStart', 'th.failures as throttleFailures']);

const lookAndReadQuery = precompiled((db, p: { resourceId: string; bucket: string; login: string }) => lookAndReadSelect(db, p));

const reserveAndReadQuery = precompiled((db, p: ReserveParams & { login: string }) =>
  // The CTE adds a table the select does not name: typed as the plain creator.
  attemptSelect(db.with('slot', (qc) => reservation(qc, p)) as unknown as QueryCreator<Database>, p).select(
    sql<Date | null>`(select window_start from slot)`.as('slotStart'),
  ),
);

/** What a later step of a sign-in re-reads of the user and token an earlier step chose. */
export interface ChosenRead {
  user?: UserRow;
  token?: TokenRow;
  /** The token paired with the user in the resource now (it may have changed since). */
  pairedTokenId?: string;
}

/**
 * The user and the token by id (either may be null: nothing was chosen) and the token paired
 * with the user in the resource, in one query instead of three round trips (the widget's OTP
 * step re-reads what its identify step chose, since minutes may pass between them).
 */
export async function readChosen(db: Db, resourceId: string, userId: string | null, tokenId: string | null): Promise<ChosenRead> {
  return chosenOf((await readChosenQuery(db, { resourceId, userId, tokenId })).rows[0]!);
}

/**
 * The throttle reservation (throttle.ts) and readChosen in one statement, as
 * reserveAndReadAttempt does for a login: the widget's code step.
 */
export async function reserveAndReadChosen(
  db: Db,
  reserve: ReserveParams,
  chosen: { userId: string | null; tokenId: string | null },
): Promise<{ slotStart: Date | null; chosen: ChosenRead }> {
  const { slotStart, ...row } = (await reserveAndReadChosenQuery(db, { ...reserve, ...chosen })).rows[0]!;
  return { slotStart, chosen: chosenOf(row) };
}

function chosenOf({ pairedTokenId, ...row }: Awaited<ReturnType<typeof readChosenQuery>>['rows'][number]): ChosenRead {
  const { user, token } = attemptOf({ ...row, assignedDirectly: false });
  return { ...(user ? { user } : {}), ...(token ? { token } : {}), ...(pairedTokenId !== null ? { pairedTokenId } : {}) };
}

type ChosenParams = { resourceId: string; userId: string | null; tokenId: string | null };

const chosenSelect = (db: QueryCreator<Database>, p: ChosenParams) =>
  db
    .selectFrom(sql<{ one: number }>`(select 1 as one)`.as('one'))
    .leftJoin('users as u', (join) => join.on('u.id', '=', p.userId))
    .leftJoin('tokens', (join) => join.on('tokens.id', '=', p.tokenId))
    .leftJoin('resource_user_tokens as rut', (join) => join.onRef('rut.userId', '=', 'u.id').on('rut.resourceId', '=', p.resourceId))
    .selectAll('tokens')
    .select(userColumns)
    .select('rut.tokenId as pairedTokenId');

const readChosenQuery = precompiled((db, p: ChosenParams) => chosenSelect(db, p));

const reserveAndReadChosenQuery = precompiled((db, p: ReserveParams & ChosenParams) =>
  chosenSelect(db.with('slot', (qc) => reservation(qc, p)) as unknown as QueryCreator<Database>, p).select(
    sql<Date | null>`(select window_start from slot)`.as('slotStart'),
  ),
);

/** Whether a token is assigned to the resource, alone or paired with a user. */
export async function isTokenAssigned(db: Db, resourceId: string, tokenId: string): Promise<boolean> {
  const direct = await db
    .selectFrom('resource_tokens')
    .select('tokenId')
    .where('resourceId', '=', resourceId)
    .where('tokenId', '=', tokenId)
    .executeTakeFirst();
  if (direct) return true;
  return (
    (await db.selectFrom('resource_user_tokens').select('tokenId').where('resourceId', '=', resourceId).where('tokenId', '=', tokenId).executeTakeFirst()) !==
    undefined
  );
}
