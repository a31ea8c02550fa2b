import { sql, type Kysely, type RawBuilder } from 'kysely';
import { decryptSecret, encryptSecret, keyIdOf, type KeyRing } from './secretbox.js';

// Online master key rotation (`veriframe rotate-key`, DESIGN §4/§10): every blob sealed by the
// secret box is opened with whichever key of the ring sealed it and sealed again under the
// current key. Each domain that stores blobs describes its table as a SealedStore; this module
// knows the blob format, not the tables.
//
// Idempotent and resumable: only blobs not yet under the current key are selected, so a second
// run finds nothing and an interrupted run continues where it stopped. A blob is replaced only if
// it is still the one that was read: a server that rewrote it meanwhile (a reissued token) wins,
// and has sealed it under the current key already.

export interface SealedRow {
  id: string;
  blob: Buffer;
  /** The context the blob is bound to (the secret box's additional data). */
  context: string;
}

export interface SealedStore {
  /** Shown in progress lines, e.g. "token secrets". */
  name: string;
  /** How many blobs are not sealed under `keyId`. */
  countPending(keyId: string): Promise<number>;
  /** Blobs not sealed under `keyId`, with id > `after` (all when null), in id order. */
  pending(keyId: string, after: string | null, limit: number): Promise<SealedRow[]>;
  /** Replaces `id`'s blob if it is still `old`; false when the row changed or went away meanwhile. */
  replace(id: string, old: Buffer, blob: Buffer): Promise<boolean>;
}

/** SQL for the key id inside a blob column (layout in secretbox.ts: version, id length, id). */
export function blobKeyId(column: string): RawBuilder<Buffer> {
  const ref = sql.ref(column);
  return sql<Buffer>`substring(${ref} from 3 for get_byte(${ref}, 1))`;
}

/** The key id as the bytes `blobKeyId` yields. */
export const keyIdBytes = (keyId: string): Buffer => Buffer.from(keyId, 'ascii');

/** A table's column of sealed blobs, as a domain describes it (SQL names, snake_case). */
export interface SealedColumn {
  name: string;
  table: string;
  /** The primary key: text or uuid, compared and ordered as it is stored. */
  id: string;
  column: string;
  /** The context each row's blob is bound to. */
  context: (id: string) => string;
}

/** The SealedStore of one column: what rotate-key needs of it, in plain SQL on any table. */
// biome-ignore lint/suspicious/noExplicitAny: the table is named at run time, so no table type applies.
export function sealedColumnStore(db: Kysely<any>, c: SealedColumn): SealedStore {
  const table = sql.table(c.table);
  const id = sql.ref(c.id);
  const col = sql.ref(c.column);
  const pendingUnder = (keyId: string) => sql`${col} is not null and ${blobKeyId(c.column)} <> ${keyIdBytes(keyId)}`;
  return {
    name: c.name,
    async countPending(keyId) {
      const { rows } = await sql<{ n: string }>`select count(*) as n from ${table} where ${pendingUnder(keyId)}`.execute(db);
      return Number(rows[0]!.n);
    },
    async pending(keyId, after, limit) {
      const from = after === null ? sql`` : sql`and ${id} > ${after}`;
      const { rows } = await sql<{ id: string; blob: Buffer }>`select ${id} as id, ${col} as blob from ${table}
        where ${pendingUnder(keyId)} ${from} order by ${id} limit ${limit}`.execute(db);
      return rows.map((r) => ({ id: r.id, blob: r.blob, context: c.context(r.id) }));
    },
    async replace(rowId, old, blob) {
      const res = await sql`update ${table} set ${col} = ${blob} where ${id} = ${rowId} and ${col} = ${old}`.execute(db);
      return res.numAffectedRows === 1n;
    },
  };
}

export interface StoreProgress {
  store: string;
  done: number;
  total: number;
}

export interface StoreResult {
  store: string;
  reencrypted: number;
  /** Rows a server changed meanwhile: they are under the current key already, or are gone. */
  changed: number;
  /** Rows no key of the ring opens, with the key id they name (never their content). */
  failed: { id: string; keyId: string }[];
}

export async function reencryptStore(
  ring: KeyRing,
  store: SealedStore,
  opts: { batchSize?: number; onProgress?: (p: StoreProgress) => void | Promise<void> } = {},
): Promise<StoreResult> {
  const batchSize = opts.batchSize ?? 500;
  const total = await store.countPending(ring.current.id);
  const result: StoreResult = { store: store.name, reencrypted: 0, changed: 0, failed: [] };
  // Keyset paging: a row that fails to open stays pending, and must not be selected again.
  let after: string | null = null;
  for (;;) {
    const rows = await store.pending(ring.current.id, after, batchSize);
    for (const row of rows) {
      let plain: Buffer;
      try {
        plain = decryptSecret(ring, row.blob, row.context);
      } catch {
        result.failed.push({ id: row.id, keyId: safeKeyId(row.blob) });
        continue;
      }
      const sealed = encryptSecret(ring, plain, row.context);
      plain.fill(0);
      if (await store.replace(row.id, row.blob, sealed)) result.reencrypted++;
      else result.changed++;
    }
    if (rows.length) after = rows[rows.length - 1]!.id;
    await opts.onProgress?.({ store: store.name, done: result.reencrypted + result.changed + result.failed.length, total });
    if (rows.length < batchSize) return result;
  }
}

function safeKeyId(blob: Buffer): string {
  try {
    return keyIdOf(blob).replace(/[^A-Za-z0-9_-]/g, '?');
  } catch {
    return '(unreadable)';
  }
}
