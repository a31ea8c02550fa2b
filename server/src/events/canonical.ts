import { createHash, createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/index.js';

// What the chain hashes. The sealer and `audit verify` must read rows through exactly this code:
// any difference in how a value is read (a time zone, a lost microsecond) would look like
// tampering.

export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** One event as the chain sees it: every column but the hash itself, in canonical form. */
export interface ChainRow {
  id: string;
  createdAt: string;
  type: string;
  actor: string | null;
  actorAdminId: string | null;
  resourceId: string | null;
  userId: string | null;
  tokenId: string | null;
  ip: string | null;
  result: string | null;
  reason: string | null;
  details: unknown;
  hash: Buffer | null;
}

/** JSON with object keys sorted at every depth, so equal content always gives equal bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function rowContent(row: ChainRow): string {
  return canonicalJson({
    id: row.id,
    created_at: row.createdAt,
    type: row.type,
    actor: row.actor,
    actor_admin_id: row.actorAdminId,
    resource_id: row.resourceId,
    user_id: row.userId,
    token_id: row.tokenId,
    ip: row.ip,
    result: row.result,
    reason: row.reason,
    details: row.details,
  });
}

/**
 * HMAC-SHA256 under the audit subkey of (previous hash ‖ canonical JSON of the row). Keyed, so
 * that whoever can write the database but has no master key cannot recompute it after an edit.
 */
export function chainHash(key: Buffer, prev: Buffer, row: ChainRow): Buffer {
  return createHmac('sha256', key).update(prev).update(rowContent(row), 'utf8').digest();
}

/** The unkeyed chain written before migration 0005; only read, to check it before re-keying. */
export function legacyChainHash(prev: Buffer, row: ChainRow): Buffer {
  return createHash('sha256').update(prev).update(rowContent(row), 'utf8').digest();
}

/**
 * Authenticates the chain state row. Without it a writer could move the sealed end back to any
 * event (its hash is in the row) and let the sealer re-seal edited rows after it. The label keeps
 * this input apart from row hashes, which start with 32 bytes of previous hash.
 */
export function stateMac(key: Buffer, lastSealedId: string, lastHash: Buffer): Buffer {
  return createHmac('sha256', key).update(`veriframe/audit-state/v1\0${lastSealedId}\0`).update(lastHash).digest();
}

/**
 * Rows with `after < id <= upTo` in id order. created_at is formatted by the database in UTC with
 * microseconds: a JavaScript Date would drop the last three digits, and an edit there would go
 * unnoticed.
 */
export function readChainRows(db: Db, opts: { after: string; upTo?: string; limit: number }): Promise<ChainRow[]> {
  let q = db
    .selectFrom('events')
    .select([
      'id',
      sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('createdAt'),
      'type',
      'actor',
      'actorAdminId',
      'resourceId',
      'userId',
      'tokenId',
      'ip',
      'result',
      'reason',
      'details',
      'hash',
    ])
    .where('id', '>', opts.after);
  if (opts.upTo !== undefined) q = q.where('id', '<=', opts.upTo);
  return q.orderBy('id').limit(opts.limit).execute();
}
