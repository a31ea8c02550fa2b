// What the app does with a scanned or pasted text: otpauth:// adds a token, otpauth-migration://
// imports Google Authenticator's export (several QR codes in a row), and any other scheme goes to
// whoever registered it (vfpush: → app/src/push/, vftransfer: → transfer.ts).
import { base32Encode } from '../../shared/otp/base32.js';
import { isOtpauthError, parseOtpauthUri, type ParsedOtpauth } from '../../shared/otp/otpauth.js';
import { uriHandler } from './extensions.js';
import { fill, type AppMessages } from './i18n/index.js';
import { decodeMigration, type MigrationBatch } from './migration.js';
import { newId, type OtpRecord } from './records.js';
import { receiveTransfer, TRANSFER_SCHEME } from './transfer.js';
import { putRecord } from './vault.js';

export type DispatchResult = { ok: boolean; message: string };

export function recordFromParsed(p: ParsedOtpauth): OtpRecord {
  return {
    id: newId(),
    kind: 'otp',
    type: p.type,
    issuer: p.issuer,
    account: p.account,
    secret: base32Encode(p.secret),
    algorithm: p.algorithm,
    digits: p.digits,
    period: p.period,
    counter: p.counter.toString(),
    ...(p.suite ? { suite: p.suite } : {}),
    createdAt: new Date().toISOString(),
  };
}

const name = (r: { issuer: string; account: string }) => (r.issuer && r.account ? `${r.issuer} (${r.account})` : r.issuer || r.account);

/** Google Authenticator splits a large export over several QR codes: parts seen so far, by batch id. */
const batches = new Map<number, Set<number>>();

async function importMigration(text: string, m: AppMessages): Promise<DispatchResult> {
  let batch: MigrationBatch;
  try {
    batch = decodeMigration(text);
  } catch {
    return { ok: false, message: m.badMigration };
  }
  for (const token of batch.tokens) await putRecord(recordFromParsed(token));
  const seen = batches.get(batch.batchId) ?? new Set<number>();
  seen.add(batch.batchIndex);
  batches.set(batch.batchId, seen);
  const imported = fill(m.imported, { n: batch.tokens.length });
  if (batch.batchSize > 1 && seen.size < batch.batchSize) {
    return { ok: true, message: `${imported} ${fill(m.migrationPart, { i: seen.size, n: batch.batchSize })}` };
  }
  batches.delete(batch.batchId);
  return { ok: true, message: imported };
}

export async function dispatchUri(raw: string, m: AppMessages): Promise<DispatchResult> {
  const text = raw.trim();
  if (/^otpauth-migration:/i.test(text)) return importMigration(text, m);
  if (/^otpauth:/i.test(text)) {
    try {
      const record = recordFromParsed(parseOtpauthUri(text));
      await putRecord(record);
      return { ok: true, message: fill(m.added, { name: name(record) }) };
    } catch (err) {
      if (!isOtpauthError(err)) throw err;
      return { ok: false, message: fill(m.badUri, { reason: err.otpauthCode === 'secret' ? m.badSecret : err.message }) };
    }
  }
  if (text.toLowerCase().startsWith(TRANSFER_SCHEME)) {
    try {
      const n = await receiveTransfer(text);
      return n === 'invalid' ? { ok: false, message: m.transferInvalid } : { ok: true, message: fill(m.imported, { n }) };
    } catch (err) {
      return { ok: false, message: fill(m.serverFailed, { reason: (err as Error).message }) };
    }
  }
  const handler = uriHandler(text);
  if (handler) {
    return (await handler(text)) ?? { ok: true, message: '' };
  }
  return { ok: false, message: m.unknownQr };
}
