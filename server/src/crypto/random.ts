// Random bearer secrets and the primitives to store and compare them. These secrets carry 256
// bits of entropy, so a fast SHA-256 hash is enough at rest (DESIGN §3 "Hashing").
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `prefix` makes keys recognisable (and greppable by secret scanners): "vf_" API keys, "vfs_" resource secrets. */
export function randomKey(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function sha256(input: string | Uint8Array): Buffer {
  return hash('sha256', input, 'buffer');
}

/**
 * Constant-time equality. Both sides are hashed first because timingSafeEqual requires equal
 * lengths, and checking lengths up front would leak the length of the secret.
 */
export function safeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}
