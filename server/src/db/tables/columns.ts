import type { ColumnType } from 'kysely';

// Column types shared by the table files: how each PostgreSQL type reads and writes in Kysely.

// --- column helpers ---------------------------------------------------------------------------

/** timestamptz: read as Date, written as Date or ISO string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;
/** timestamptz with a `now()` default. */
export type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** int8 with a default: pg returns it as a string so no precision is lost; the PGlite setup must match. */
export type DefaultInt8 = ColumnType<string, string | number | bigint | undefined, string | number | bigint>;
/** bytea: pg returns Buffer; the PGlite setup must parse bytea into Buffer too. */
export type Bytea = Buffer;

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
// undefined members are allowed because JSON.stringify drops them, which lets optional fields of
// domain types be stored without mapping.
export type JsonObject = { [key: string]: JsonValue | undefined };
/**
 * jsonb: read as T; written as T or as a JSON string. pg serialises a JS array parameter as a
 * PostgreSQL array, not JSON, so arrays (and anything not a plain object) should go in as
 * JSON.stringify(value).
 */
export type Json<T> = ColumnType<T, T | string, T | string>;
export type DefaultJson<T> = ColumnType<T, T | string | undefined, T | string>;
