// Seeds the authentication benchmarks directly, in bulk: one resource and N users, each with its
// own TOTP token (random 20-byte secret, sealed exactly as the token service seals it: AES-256-GCM
// bound to the token's id) paired with the user in the resource, as an administrator's
// "PUT /tokens/{id}/user" and "PUT /resources/{r}/users/{u}/token" would leave them.
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { KeyRing } from '../server/src/crypto/secretbox.js';
import type { Db } from '../server/src/db/index.js';
import { ensureSigningKey } from '../server/src/jwt/keys.js';
import { insertResource } from '../server/src/resources/repository.js';
import { newResourceSecret } from '../server/src/resources/secret.js';
import { sealSecret } from '../server/src/tokens/secrets.js';
import type { BenchUser } from './driver.js';
import type { Progress } from './setup.js';

/** The site the widget is embedded in (an allowed origin of the bench resource). */
export const BENCH_SITE = 'https://shop.example';

export interface AuthSeed {
  resourceId: string;
  /** HTTP Basic for the resource's server-to-server calls. */
  authorization: string;
  userCount: number;
  seedMs: number;
}

// Rows per INSERT: well under PostgreSQL's 65 535 parameters with 7 columns.
const BATCH = 2_000;

/**
 * `passwordHashes[i % n]` becomes user i's password hash (argon2id at the server's parameters);
 * hashing one per user would cost as much as the password benchmark itself.
 */
export async function seedAuth(
  db: Db,
  ring: KeyRing,
  count: number,
  passwordHashes: string[],
  label: string,
  progress: Progress,
): Promise<{ seed: AuthSeed; users: BenchUser[] }> {
  const started = performance.now();
  const { secret, hash } = newResourceSecret();
  // OTP only: the widget login measures the stack, not argon2id (the password benchmark does that).
  const resource = await insertResource(db, { name: 'bench', allowedOrigins: [BENCH_SITE], authMethod: 'otp', secretHash: hash });
  await ensureSigningKey(db, ring, new Date());

  const users: BenchUser[] = [];
  for (let from = 0; from < count; from += BATCH) {
    const rows = [];
    for (let i = from; i < Math.min(count, from + BATCH); i++) {
      const user = { id: randomUUID(), login: `bench-user-${String(i).padStart(6, '0')}` };
      const token = { id: randomUUID(), secret: randomBytes(20) };
      rows.push({ i, user, token });
      users.push({ login: user.login, tokenId: token.id, secret: token.secret });
    }
    await db
      .insertInto('users')
      .values(rows.map(({ i, user }) => ({ id: user.id, login: user.login, passwordHash: passwordHashes[i % passwordHashes.length]! })))
      .execute();
    await db
      .insertInto('tokens')
      .values(
        rows.map(({ i, user, token }) => ({
          id: token.id,
          kind: 'hardware' as const,
          type: 'totp' as const,
          name: `Bench token ${i}`,
          serialNumber: `BT-${String(i).padStart(6, '0')}`,
          secretEnc: sealSecret(ring, token.id, token.secret),
          userId: user.id,
        })),
      )
      .execute();
    await db
      .insertInto('resource_user_tokens')
      .values(rows.map(({ user, token }) => ({ resourceId: resource.id, userId: user.id, tokenId: token.id })))
      .execute();
    const done = Math.min(count, from + BATCH);
    if (done % 10_000 === 0 || done === count)
      progress(`${label}: seeded ${done.toLocaleString('en-US')}/${count.toLocaleString('en-US')} users with TOTP tokens`);
  }
  // Statistics as autovacuum would have them after such a load (PGlite has no autovacuum).
  for (const table of ['users', 'tokens', 'resource_user_tokens']) await sql`analyze ${sql.table(table)}`.execute(db);
  const seed = {
    resourceId: resource.id,
    authorization: 'Basic ' + Buffer.from(`${resource.id}:${secret}`).toString('base64'),
    userCount: users.length,
    seedMs: performance.now() - started,
  };
  return { seed, users };
}

/** Hands out users in order; each user's code is used once, so no user is handed out twice. */
export interface UserPool {
  readonly size: number;
  /** How many users were handed out. */
  readonly used: number;
  /** The first index of `n` unused users. */
  reserve(n: number): number;
  /** Gives back what a job reserved but did not use. */
  release(from: number, reserved: number, used: number): void;
}

export function userPool(size: number): UserPool {
  let next = 0;
  return {
    size,
    get used() {
      return next;
    },
    reserve(n) {
      if (next + n > size) throw new Error(`bench needs ${next + n} users, seeded ${size}`);
      const from = next;
      next += n;
      return from;
    },
    release(from, reserved, used) {
      if (next === from + reserved) next = from + used;
    },
  };
}
