// DESIGN §10 "Secrets": the master key is never used directly. Each purpose gets its own subkey,
// derived with HKDF-SHA256 (RFC 5869), so a key used in one construction (AES-GCM, an HMAC over
// codes, the audit chain's HMAC) can never be turned against another, and knowing one subkey
// reveals neither the master key nor its siblings.
import { hkdfSync } from 'node:crypto';

type SubkeyPurpose = 'secret-box' | 'code-hash' | 'audit-chain' | 'key-id';

// A fixed, public salt: the master key is already uniformly random, so the salt only separates
// Veriframe's derivations from any other use of the same bytes (RFC 5869 §3.1).
const SALT = Buffer.from('veriframe/hkdf/v1', 'utf8');

export function deriveSubkey(master: Buffer, purpose: SubkeyPurpose, bytes = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', master, SALT, `veriframe/${purpose}/v1`, bytes));
}
