// Guards of the authentication pipeline: throttle windows, login counters, rate windows.
// Columns are camelCase here and snake_case in SQL (CamelCasePlugin); keep in step with ./migrations.
import type { Generated } from 'kysely';
import type { Timestamp, NullableTimestamp, DefaultTimestamp } from './columns.js';

export interface AuthThrottleTable {
  resourceId: string;
  ip: string;
  windowStart: DefaultTimestamp;
  failures: Generated<number>;
}

export interface LoginAttemptsTable {
  resourceId: string;
  /** lower() of the NFC login as typed. */
  loginKey: string;
  failures: Generated<number>;
  lockCount: Generated<number>;
  lockedUntil: NullableTimestamp;
  updatedAt: DefaultTimestamp;
}

export interface RateWindowsTable {
  bucket: string;
  key: string;
  windowStart: Timestamp;
  count: Generated<number>;
}
