// Google Authenticator's export: otpauth-migration://offline?data=<base64 protobuf>, one QR code
// per batch part. The message is small and fixed (MigrationPayload of the app's source), so a
// 60-line protobuf wire reader is used instead of a protobuf runtime:
//   MigrationPayload { repeated OtpParameters otp_parameters = 1; int32 version = 2;
//                      int32 batch_size = 3; int32 batch_index = 4; int32 batch_id = 5; }
//   OtpParameters { bytes secret = 1; string name = 2; string issuer = 3; Algorithm algorithm = 4;
//                   DigitCount digits = 5; OtpType type = 6; int64 counter = 7; }
//   Algorithm 1 SHA1, 2 SHA256, 3 SHA512 (4 MD5: refused); DigitCount 1 six, 2 eight;
//   OtpType 1 HOTP, 2 TOTP. Google's tokens are always 30 s.
import type { ParsedOtpauth } from '../../shared/otp/otpauth.js';

export type MigrationBatch = { tokens: ParsedOtpauth[]; batchSize: number; batchIndex: number; batchId: number };
type Field = { no: number; varint?: bigint; bytes?: Uint8Array };

function* fields(buf: Uint8Array): Generator<Field> {
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (at >= buf.length || shift > 63n) throw new Error('truncated varint');
      const b = buf[at++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) yield { no, varint: varint() };
    else if (wire === 2) {
      const len = Number(varint());
      if (at + len > buf.length) throw new Error('truncated field');
      yield { no, bytes: buf.subarray(at, at + len) };
      at += len;
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

const ALGORITHMS = { 0: 'SHA1', 1: 'SHA1', 2: 'SHA256', 3: 'SHA512' } as const;

function otpParameters(buf: Uint8Array): ParsedOtpauth {
  const text = (b?: Uint8Array) => (b ? new TextDecoder().decode(b) : '');
  let secret = new Uint8Array();
  let name = '';
  let issuer = '';
  let algorithm = 0;
  let digits = 0;
  let type = 0;
  let counter = 0n;
  for (const f of fields(buf)) {
    if (f.no === 1 && f.bytes) secret = f.bytes.slice();
    else if (f.no === 2) name = text(f.bytes);
    else if (f.no === 3) issuer = text(f.bytes);
    else if (f.no === 4) algorithm = Number(f.varint ?? 0n);
    else if (f.no === 5) digits = Number(f.varint ?? 0n);
    else if (f.no === 6) type = Number(f.varint ?? 0n);
    else if (f.no === 7) counter = f.varint ?? 0n;
  }
  const alg = ALGORITHMS[algorithm as keyof typeof ALGORITHMS];
  if (!alg) throw new Error('unsupported algorithm');
  if (secret.length === 0) throw new Error('token without secret');
  // The name is "issuer:account" or just the account; the issuer field wins when present.
  const colon = name.indexOf(':');
  const account = colon >= 0 ? name.slice(colon + 1).trim() : name;
  return {
    type: type === 1 ? 'hotp' : 'totp',
    secret,
    issuer: issuer || (colon >= 0 ? name.slice(0, colon).trim() : ''),
    account,
    algorithm: alg,
    digits: digits === 2 ? 8 : 6,
    period: 30,
    counter,
  };
}

export function decodeMigration(uri: string): MigrationBatch {
  const match = /^otpauth-migration:\/\/offline\?(.*)$/i.exec(uri.trim());
  if (!match) throw new Error('not an otpauth-migration URI');
  const data = new URLSearchParams(match[1]).get('data');
  if (!data) throw new Error('no data');
  // URLSearchParams turned '+' into ' ' when the exporter did not percent-encode it.
  const bin = atob(data.replace(/ /g, '+').replace(/-/g, '+').replace(/_/g, '/'));
  const buf = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  const batch: MigrationBatch = { tokens: [], batchSize: 1, batchIndex: 0, batchId: 0 };
  for (const f of fields(buf)) {
    if (f.no === 1 && f.bytes) batch.tokens.push(otpParameters(f.bytes));
    else if (f.no === 3) batch.batchSize = Number(f.varint ?? 1n);
    else if (f.no === 4) batch.batchIndex = Number(f.varint ?? 0n);
    else if (f.no === 5) batch.batchId = Number(f.varint ?? 0n);
  }
  if (batch.tokens.length === 0) throw new Error('no tokens');
  return batch;
}
