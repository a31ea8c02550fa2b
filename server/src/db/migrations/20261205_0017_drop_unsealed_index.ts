// Drops `events_unsealed_idx` (0002: id where hash is null), which no query needs: the sealer
// reads the rows after the chain state's last sealed id by the primary key (events/chain.ts),
// and `audit verify` counts the unsealed tail the same way (events/verify.ts readChainHead);
// rows below the sealed end are checked by walking the chain, not through this index.
//
// It was paid for on the hot path: every event INSERT (two per successful OTP check) added an
// entry, and because `hash` sits in its predicate, the sealer's UPDATE of every row could never
// be a heap-only (HOT) update, so each seal also re-inserted the row into every other index.
// Measured under the OTP bench's load on PostgreSQL: about 0.04 ms less PostgreSQL CPU per
// check (bench/README.md).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('events_unsealed_idx').ifExists().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('events_unsealed_idx').on('events').column('id').where(sql.ref('hash'), 'is', null).execute();
}
