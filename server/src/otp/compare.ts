// timingSafeEqual throws on different lengths, and checking the length first would return early.
// Hashing both sides gives equal-length inputs whose comparison time does not depend on where
// (or whether) the strings differ; SHA-256 collisions are not a practical concern here.
import { hash, timingSafeEqual } from 'node:crypto';

// crypto.hash: one call, no Hash object (half the cost of createHash for a short string).
const digest = (text: string): Buffer => hash('sha256', text, 'buffer');

export function safeEqualCode(a: string, b: string): boolean {
  return codeComparer(b)(a);
}

/** safeEqualCode against one code, hashed once: the searches compare it with every candidate. */
export function codeComparer(code: string): (candidate: string) => boolean {
  const expected = digest(code);
  return (candidate) => timingSafeEqual(digest(candidate), expected);
}
