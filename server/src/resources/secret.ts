import { timingSafeEqual } from 'node:crypto';
import { randomKey, sha256 } from '../crypto/random.js';
import type { Db } from '../db/index.js';
import { secretHashOf } from './repository.js';

export const RESOURCE_SECRET_PREFIX = 'vfs_';

/** A new verification secret (256 random bits) and the hash that is stored in its place. */
export function newResourceSecret(): { secret: string; hash: Buffer } {
  const secret = randomKey(RESOURCE_SECRET_PREFIX);
  return { secret, hash: sha256(secret) };
}

export const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Compared against when there is no row, so an unknown resource costs the same comparison.
const decoy = sha256('veriframe:no-such-resource');

/**
 * Whether `secret` is the current verification secret of the resource (HTTP Basic of the
 * server-to-server API). Only the secret is checked, not whether the resource is active: the
 * caller decides what an inactive resource answers. The comparison is constant-time; an
 * unknown or malformed resource id is simply false.
 */
export async function verifyResourceSecret(db: Db, resourceId: string, secret: string): Promise<boolean> {
  return secretMatches(uuid.test(resourceId) ? await secretHashOf(db, resourceId) : undefined, secret);
}

/**
 * The comparison of verifyResourceSecret, for a caller that read the stored hash itself
 * (`undefined` or null when there is no such resource or it has no secret): constant-time, and
 * the same work when there is nothing to compare with.
 */
export function secretMatches(stored: Buffer | null | undefined, secret: string): boolean {
  const given = sha256(secret);
  const expected = stored && stored.length === given.length ? stored : decoy;
  return timingSafeEqual(given, expected) && expected !== decoy;
}
