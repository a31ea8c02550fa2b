// Adding a push token from its enrolment QR code (vfpush://enroll?…, DESIGN §13): a new key
// pair is made on this device, the public key is registered with the one-time secret signed by
// the private key (proof of possession), and only then is the token stored — with the private
// key as a non-extractable CryptoKey beside its vault record.
import { enrolmentProof, parsePushEnrolmentUri } from '../../../shared/push.js';
import { toB64u } from '../bytes.js';
import { fill } from '../i18n/index.js';
import { newId, type PushRecord } from '../records.js';
import { putRecord } from '../vault.js';
import { errorCode, KEY_NAME, newKeyPair, sign, type PushData } from './device.js';
import { pushMessages } from './messages.js';

export type EnrolResult = { ok: boolean; message: string };

const failures: Record<string, 'enrolUsed' | 'enrolExpired' | 'enrolInvalid'> = {
  push_enrolment_used: 'enrolUsed',
  push_enrolment_expired: 'enrolExpired',
  push_enrolment_invalid: 'enrolInvalid',
};

export async function enrollPush(uri: string): Promise<EnrolResult> {
  const m = pushMessages();
  const parsed = parsePushEnrolmentUri(uri.trim());
  if (!parsed.ok) return { ok: false, message: fill(m.badLink, { reason: parsed.reason }) };
  const link = parsed.value;
  // The app talks to the server it was installed from; another server has its own app.
  if (link.server !== location.origin) return { ok: false, message: fill(m.otherServer, { server: link.server }) };
  const pair = await newKeyPair();
  const body = {
    serial: link.serial,
    secret: link.secret,
    publicKey: toB64u(new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey))),
    signature: await sign(pair.privateKey, enrolmentProof(link.serial, link.secret)),
  };
  let res: Response;
  try {
    res = await fetch('/app/api/push/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    return { ok: false, message: fill(m.enrolFailed, { reason: m.offline }) };
  }
  if (res.status !== 201) {
    const code = await errorCode(res);
    const known = code ? failures[code] : undefined;
    return { ok: false, message: known ? m[known] : fill(m.enrolFailed, { reason: fill(m.rejected, { code: code ?? res.status }) }) };
  }
  const name = [link.issuer, link.account].filter(Boolean).join(' — ') || link.serial;
  const data: PushData = { server: link.server, serial: link.serial, issuer: link.issuer, account: link.account };
  const record: PushRecord = { id: newId(), kind: 'push', label: name, data: { ...data }, createdAt: new Date().toISOString() };
  await putRecord(record, { cryptoKeys: { [KEY_NAME]: pair.privateKey } });
  return { ok: true, message: fill(m.added, { name }) };
}
