// timingSafeEqual throws on different lengths, and checking the length first would return early.
// Hashing both sides gives equal-length inputs whose comparison time does not depend on where
// (or whether) the strings differ; SHA-256 collisions are not a practical concern here.
import { createHash, timingSafeEqual } from 'node:crypto';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export function safeEqualCode(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
