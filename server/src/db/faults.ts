// Telling "the database is away" from "this query is wrong" (DESIGN §15, Faults).
//
// An outage must answer 503 database_unavailable (with Retry-After), not 500, and must never end
// the process: PostgreSQL restarts, fails over, or the network between us drops. What such a
// fault looks like depends on where it strikes: a SQLSTATE sent by a server shutting down, a
// socket error of the operating system, or one of node-postgres' own messages for a connection
// that died under it. On the embedded database the faults are the disk's: full or failing.

/** Seconds a client should wait before trying again (Retry-After of the 503). */
export const RETRY_AFTER_SECONDS = 5;

// 08 connection exception, 53 insufficient resources (disk full, out of memory, too many
// connections), 57P01-57P05 shutdown / crash / cannot connect now / idle session timeout,
// 58 system error (I/O error, undefined file), XX001/XX002 data or index corrupted on disk.
const SQLSTATE = /^(08...|53...|57P0[1-5]|58...|XX00[12])$/;

// Socket and file errors from the operating system.
const ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENOSPC',
  'EDQUOT',
  'EIO',
  'EROFS',
]);

// node-postgres and pg-pool report a dead or unreachable connection with plain messages;
// Kysely reports a pool that is being destroyed (shutdown); PGlite a closed instance.
const MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
  /^Cannot use a pool after calling end on the pool$/,
  /^driver has already been destroyed$/,
  /^PGlite is closed$/,
  /^Postgres connection has been discarded$/,
  // PostgreSQL's own file access failing (errcode_for_file_access): on the embedded database a
  // data directory that became unwritable or unreadable answers 42501 or 58P01 with these.
  /^could not (open|create|write|read|extend|fsync|rename|remove|truncate|seek|access|stat) (to )?(file|directory|relation)/,
];

function unavailableHere(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message, errno, name } = err as { code?: unknown; message?: unknown; errno?: unknown; name?: unknown };
  if (typeof code === 'string' && (SQLSTATE.test(code) || ERRNO.has(code))) return true;
  if (typeof errno === 'string' && ERRNO.has(errno)) return true;
  // PGlite's WebAssembly PostgreSQL aborts on a PANIC (e.g. a WAL write failing): every later
  // call fails until the process starts again, but it must fail as an outage, not a crash.
  if (name === 'RuntimeError' || name === 'ExitStatus' || name === 'ErrnoError') return true;
  return typeof message === 'string' && MESSAGES.some((m) => m.test(message));
}

/** True when `err` (or an error it wraps) means the database cannot be reached or cannot write. */
export function isDatabaseUnavailable(err: unknown): boolean {
  let current: unknown = err;
  // An AggregateError (a connection attempt to each address of a host) or a chain of causes.
  for (let depth = 0; depth < 5 && current; depth++) {
    if (unavailableHere(current)) return true;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length && errors.every(unavailableHere)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
