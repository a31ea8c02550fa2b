// RFC 4648 base32, the alphabet every authenticator app uses for OATH secrets. Shared by the
// server and the authenticator app, so it works on plain Uint8Arrays (no Buffer).
// Decoding is forgiving about what people and vendor files actually contain (lower case, groups
// separated by spaces, tabs, line breaks or hyphens, padding missing or overdone) but strict
// about anything else: a secret silently mis-decoded would produce codes that never match.
// Error messages never echo the input because the input is a secret.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const DECODE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

// A base32 group of 8 characters carries 5 bytes; a final partial group can only have 2, 4, 5 or
// 7 characters (1–4 bytes). 1, 3 or 6 characters cannot come from any byte string.
const IMPOSSIBLE_REMAINDERS = new Set([1, 3, 6]);

export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff; // never more than 12 meaningful bits are kept
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Uint8Array {
  const values: number[] = [];
  let padding = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '-' || ch === '\t' || ch === '\n' || ch === '\r') continue;
    if (ch === '=') {
      padding = true;
      continue;
    }
    // Positions are reported, never characters: the character may be part of the secret.
    const code = ch.toUpperCase().charCodeAt(0);
    const value = code < 128 ? (DECODE[code] ?? -1) : -1;
    if (value < 0) {
      throw new Error(`invalid base32: unexpected character at position ${i + 1} (allowed: A-Z, 2-7, spaces, hyphens, trailing '=')`);
    }
    if (padding) throw new Error(`invalid base32: '=' padding is only allowed at the end (data found at position ${i + 1})`);
    values.push(value);
  }
  if (IMPOSSIBLE_REMAINDERS.has(values.length % 8)) {
    throw new Error(`invalid base32: ${values.length} characters cannot encode a whole number of bytes`);
  }
  const out = new Uint8Array(Math.floor((values.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const value of values) {
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      out[index++] = (buffer >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  // Left-over bits (fewer than 5) are filler; like most OATH implementations we do not insist
  // they are zero.
  return out;
}
