import { sql, type RawBuilder } from 'kysely';

// The SQL of keyset paging (http/paging.ts): a timestamp travels in a cursor as whole
// microseconds since the epoch, an integer, so it comes back exactly (a JavaScript Date keeps
// milliseconds) and a forged one can only be a number, never a malformed timestamp.

/** `column` as whole microseconds since the epoch (text). */
export const micros = (column: string): RawBuilder<string> => sql<string>`(extract(epoch from ${sql.ref(column)}) * 1000000)::bigint::text`;

/** The timestamp of `value` microseconds since the epoch. */
export const fromMicros = (value: string): RawBuilder<Date> => sql<Date>`(to_timestamp(0) + ${value}::bigint * interval '1 microsecond')`;
