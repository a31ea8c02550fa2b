// argon2id for secrets people choose (passwords, PINs). Random secrets (API keys, resource
// secrets) use SHA-256 instead — see random.ts and DESIGN §3 "Hashing".
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Algorithm, Options } from '@node-rs/argon2';

// `Algorithm` is an ambient const enum, which cannot be read as a value under
// verbatimModuleSyntax/isolatedModules (TS2748); its Argon2id member is 2.
const ARGON2ID = 2 satisfies Algorithm.Argon2id;

/** OWASP minimum for argon2id (19 MiB, 2 passes, 1 lane); the benchmark hashes with these too. */
export const ARGON2_PARAMS = Object.freeze({
  algorithm: ARGON2ID,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} satisfies Options);

export function hashPassword(plain: string): Promise<string> {
  return hash(plain, ARGON2_PARAMS);
}

/**
 * How many argon2id verifications this process ran. Uniform timing for unknown users rests on
 * "every refusal pays exactly one verification"; tests check that by counting, not by timing.
 */
export const argon2Stats = { verifications: 0 };

/**
 * Parameters are read from the stored hash, so hashes made under older parameters still verify.
 * A malformed or empty stored hash is treated as "does not match" rather than a server error.
 */
export async function verifyPassword(storedHash: string, plain: string): Promise<boolean> {
  if (!storedHash) return false;
  argon2Stats.verifications++;
  try {
    return await verify(storedHash, plain);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * For unknown users or users without a password: spend the same argon2 work as a real check so
 * response time does not reveal whether the login exists. The dummy hash is made on first use
 * (that first call also pays for one hash) and never matches anything a caller can type.
 */
export async function verifyAgainstDummy(plain: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(32).toString('base64url')).catch((err: unknown) => {
    dummyHash = undefined; // let a later call retry instead of caching the failure
    throw err;
  });
  await verifyPassword(await dummyHash, plain);
  return false;
}
