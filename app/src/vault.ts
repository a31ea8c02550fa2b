// The vault: the tokens, encrypted at rest under one random AES-GCM data key. The data key is
// stored only wrapped: under a key derived from the PIN (PBKDF2), and optionally under a key from
// a WebAuthn PRF output (biometric unlock, see biometric.ts). Unlocked, the data key lives in
// memory as a non-extractable CryptoKey; lock() forgets it.
import { randomBytes, utf8 } from './bytes.js';
import { deriveKey, newDataKey, open, PBKDF2_ITERATIONS, seal, unwrap, wrap } from './crypto.js';
import { database, getMeta, setMeta, type RecordRow, type VaultHeader } from './db.js';
import type { TokenRecord } from './records.js';

export const vaultEvents = new EventTarget();
let dataKey: CryptoKey | undefined;

const changed = () => vaultEvents.dispatchEvent(new Event('change'));
export const isUnlocked = () => dataKey !== undefined;
export const header = () => getMeta<VaultHeader>('vault');

export async function vaultState(): Promise<'new' | 'locked' | 'unlocked'> {
  if (dataKey) return 'unlocked';
  return (await header()) ? 'locked' : 'new';
}

export const PIN_PATTERN = /^\d{4,12}$/;

export async function createVault(pin: string): Promise<void> {
  if (!PIN_PATTERN.test(pin)) throw new Error('PIN must be 4 to 12 digits');
  const key = await newDataKey();
  const salt = randomBytes(16);
  const wrapped = await wrap(await deriveKey(pin, salt), key);
  await setMeta('vault', { version: 1, pin: { salt, iterations: PBKDF2_ITERATIONS, wrapped } } satisfies VaultHeader);
  dataKey = await unwrap(await deriveKey(pin, salt), wrapped);
  changed();
}

/** The data key from the PIN; extractable only to wrap it again (new PIN, biometrics). */
export async function keyFromPin(pin: string, extractable = false): Promise<CryptoKey | undefined> {
  const h = await header();
  if (!h) return undefined;
  try {
    return await unwrap(await deriveKey(pin, h.pin.salt, h.pin.iterations), h.pin.wrapped, extractable);
  } catch {
    return undefined; // AES-GCM refuses a wrong key: a wrong PIN
  }
}

// Wrong PINs (DESIGN §13): after PIN_FREE_TRIES wrong ones in a row the lock screen makes the
// user wait before each further try, 30 s doubling up to an hour. The count lives in IndexedDB
// beside the vault, so reloading the page does not reset it. It slows down guessing by hand on
// a picked-up phone; it cannot stop someone who copies the IndexedDB files and tries PINs
// offline (that is what PBKDF2's cost is for). Nothing is wiped: a vault that erased itself
// after N tries would let anyone holding the phone destroy the user's tokens.

/** Wrong PINs in a row that cost nothing but the PIN check. */
export const PIN_FREE_TRIES = 5;
const FIRST_WAIT_MS = 30_000;
const LONGEST_WAIT_MS = 3_600_000;

type PinGuard = { failures: number; nextTryAt: number };
const GUARD = 'pinGuard';
let clock: () => number = () => Date.now();

/** The clock the PIN guard reads (tests move it instead of waiting). */
export function setPinClock(now: () => number): void {
  clock = now;
}

/** The wait after `failures` wrong PINs in a row (0 for the first PIN_FREE_TRIES - 1). */
export const pinWaitAfter = (failures: number): number =>
  failures < PIN_FREE_TRIES ? 0 : Math.min(FIRST_WAIT_MS * 2 ** (failures - PIN_FREE_TRIES), LONGEST_WAIT_MS);

const guard = async (): Promise<PinGuard> => (await getMeta<PinGuard>(GUARD)) ?? { failures: 0, nextTryAt: 0 };

/** Milliseconds until the next PIN may be tried (0: now). */
export async function pinWaitLeft(): Promise<number> {
  return Math.max(0, (await guard()).nextTryAt - clock());
}

/**
 * `ok`, or not, with the wait before the next try (`waitMs`, 0 when it may follow at once).
 * `tried: false`: the wait was still running, so the PIN was not even looked at.
 */
export type PinResult = { ok: true } | { ok: false; tried: boolean; waitMs: number };

export async function unlockWithPin(pin: string): Promise<PinResult> {
  const before = await guard();
  const now = clock();
  if (before.nextTryAt > now) return { ok: false, tried: false, waitMs: before.nextTryAt - now };
  // Counted before the (slow) check, so closing the page during it does not skip the count.
  const failures = before.failures + 1;
  const waitMs = pinWaitAfter(failures);
  await setMeta(GUARD, { failures, nextTryAt: now + waitMs } satisfies PinGuard);
  const key = await keyFromPin(pin);
  if (!key) return { ok: false, tried: true, waitMs };
  await setMeta(GUARD, { failures: 0, nextTryAt: 0 } satisfies PinGuard);
  dataKey = key;
  changed();
  return { ok: true };
}

/** Used by biometric.ts once the PRF output unwrapped the data key. */
export function unlockWithKey(key: CryptoKey): void {
  dataKey = key;
  changed();
}

export function lock(): void {
  dataKey = undefined;
  changed();
}

export async function changePin(oldPin: string, newPin: string): Promise<boolean> {
  if (!PIN_PATTERN.test(newPin)) throw new Error('PIN must be 4 to 12 digits');
  const key = await keyFromPin(oldPin, true);
  const h = await header();
  if (!key || !h) return false;
  const salt = randomBytes(16);
  await setMeta('vault', { ...h, pin: { salt, iterations: PBKDF2_ITERATIONS, wrapped: await wrap(await deriveKey(newPin, salt), key) } });
  return true;
}

function need(): CryptoKey {
  if (!dataKey) throw new Error('the vault is locked');
  return dataKey;
}

// The record id is bound to its ciphertext (AAD), so rows cannot be swapped around unnoticed.
async function openRow(row: RecordRow): Promise<TokenRecord> {
  return JSON.parse(new TextDecoder().decode(await open(need(), row.sealed, utf8(row.id)))) as TokenRecord;
}

export async function listRecords(): Promise<TokenRecord[]> {
  need();
  const rows = await (await database()).getAllFromIndex('records', 'position');
  return Promise.all(rows.map(openRow));
}

/** Adds or replaces a record; new records go to the end of the list. */
export async function putRecord(record: TokenRecord, opts: { cryptoKeys?: Record<string, CryptoKey> } = {}): Promise<void> {
  const sealed = await seal(need(), utf8(JSON.stringify(record)), utf8(record.id));
  const db = await database();
  const tx = db.transaction('records', 'readwrite');
  const existing = await tx.store.get(record.id);
  let position = existing?.position;
  if (position === undefined) {
    const last = await tx.store.index('position').openCursor(null, 'prev');
    position = (last?.value.position ?? -1) + 1;
  }
  const cryptoKeys = opts.cryptoKeys ?? existing?.cryptoKeys;
  await tx.store.put({ id: record.id, position, kind: record.kind, sealed, ...(cryptoKeys ? { cryptoKeys } : {}) });
  await tx.done;
  changed();
}

export async function recordCryptoKeys(id: string): Promise<Record<string, CryptoKey> | undefined> {
  need();
  return (await (await database()).get('records', id))?.cryptoKeys;
}

export async function deleteRecord(id: string): Promise<void> {
  need();
  await (await database()).delete('records', id);
  changed();
}

/** Stores the list order: `ids` first to last. */
export async function reorder(ids: readonly string[]): Promise<void> {
  need();
  const db = await database();
  const tx = db.transaction('records', 'readwrite');
  for (const [position, id] of ids.entries()) {
    const row = await tx.store.get(id);
    if (row) await tx.store.put({ ...row, position });
  }
  await tx.done;
  changed();
}
