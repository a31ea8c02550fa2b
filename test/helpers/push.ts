import { webcrypto } from 'node:crypto';
import { answerProof, enrolmentProof, parsePushEnrolmentUri, streamProof, type PushDecision, type PushEnrolmentUri } from '../../shared/push.js';

// A push device as the authenticator app is one, in Node: WebCrypto ECDSA P-256, a
// non-extractable private key, signatures in IEEE P1363 as base64url. Tests use it to enrol and
// answer without a browser; the browser tests use the app itself.

const subtle = webcrypto.subtle;
const b64url = (b: ArrayBuffer) => Buffer.from(b).toString('base64url');

export interface TestDevice {
  link: PushEnrolmentUri;
  sign(message: string): Promise<string>;
  /** The body of POST /app/api/push/register. */
  registration(): Promise<{ serial: string; secret: string; publicKey: string; signature: string }>;
  /** The query of GET /app/api/push/events and /challenges, signed at `nowMs`. */
  proof(nowMs: number): Promise<string>;
  answer(challengeId: string, decision: PushDecision): Promise<{ serial: string; decision: PushDecision; signature: string }>;
}

export async function testDevice(pushUri: string): Promise<TestDevice> {
  const parsed = parsePushEnrolmentUri(pushUri);
  if (!parsed.ok) throw new Error(`not an enrolment link (${parsed.reason}): ${pushUri}`);
  const link = parsed.value;
  const pair = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const sign = async (message: string) => b64url(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, new TextEncoder().encode(message)));
  return {
    link,
    sign,
    registration: async () => ({
      serial: link.serial,
      secret: link.secret,
      publicKey: b64url(await subtle.exportKey('spki', pair.publicKey)),
      signature: await sign(enrolmentProof(link.serial, link.secret)),
    }),
    proof: async (nowMs) =>
      new URLSearchParams({ serial: link.serial, timestamp: String(nowMs), signature: await sign(streamProof(link.serial, nowMs)) }).toString(),
    answer: async (challengeId, decision) => ({ serial: link.serial, decision, signature: await sign(answerProof(challengeId, decision)) }),
  };
}
