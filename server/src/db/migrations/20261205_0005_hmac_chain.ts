// The audit chain becomes an HMAC chain under the master key's audit subkey (DESIGN §10), so a
// writer of the database alone can no longer recompute it after an edit.
//
// A migration has no key, so it cannot compute a single HMAC. It only records which key the chain
// is under: `key_id` (the id of the master key whose audit subkey chains the rows; null = the plain
// SHA-256 chain written before this migration) and `mac`, an HMAC of the state row itself under
// the same subkey, which stops the sealed end being moved to an arbitrary point. Every existing
// state is left at key_id null, which marks the sealed events for re-chaining: the first server
// that starts with the key verifies the old chain, records the outcome in an
// `audit.chain_rekeyed` event and re-seals every event under the subkey (events/rekey.ts).
// Hashes are not cleared here: the re-chain needs them to check the old chain first.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table event_chain_state add column key_id text, add column mac bytea`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Back to the unkeyed format: hashes made with the subkey mean nothing to the old sealer, so the
  // chain starts over from the genesis hash and the old code re-seals everything.
  await sql`update events set hash = null where hash is not null`.execute(db);
  await sql`update event_chain_state set last_sealed_id = 0, last_hash = decode(repeat('00', 32), 'hex')`.execute(db);
  await sql`alter table event_chain_state drop column key_id, drop column mac`.execute(db);
}
