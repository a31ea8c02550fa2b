// Push tokens (DESIGN §13): what the server and the authenticator app must agree on byte for
// byte — the enrolment URI in the QR code, and the strings the device key signs. Kept here so
// neither side can drift; no dependencies (the app bundles it).
//
// The device key is ECDSA P-256 with SHA-256; signatures are IEEE P1363 (r ‖ s, 64 bytes, what
// WebCrypto produces), base64url without padding. Every signed string starts with its purpose
// and version, so a signature made for one purpose is never valid for another.

export const PUSH_URI_SCHEME = 'vfpush:';

/** What the enrolment QR code carries: where to register, and the one-time secret that allows it. */
export interface PushEnrolmentUri {
  /** The Veriframe server's origin (PUBLIC_URL), where the app registers and listens. */
  server: string;
  /** The push token's serial number: how the app names itself to the server afterwards. */
  serial: string;
  /** One-time enrolment secret (256 bits, base64url); single use, expires in minutes. */
  secret: string;
  /** Shown in the app: who runs the server. */
  issuer: string;
  /** Shown in the app: whose token it is (the login, or the token's name). */
  account: string;
}

const SERIAL = /^[A-Za-z0-9._\-/]{1,64}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** `vfpush://enroll?v=1&server=…&serial=…&secret=…&issuer=…&account=…` */
export function pushEnrolmentUri(e: PushEnrolmentUri): string {
  const q = new URLSearchParams({ v: '1', server: e.server, serial: e.serial, secret: e.secret, issuer: e.issuer, account: e.account });
  return `vfpush://enroll?${q.toString()}`;
}

/** The parts of an enrolment URI, or a reason in words why it is not one. */
export function parsePushEnrolmentUri(uri: string): { ok: true; value: PushEnrolmentUri } | { ok: false; reason: string } {
  const prefix = 'vfpush://enroll?';
  if (!uri.startsWith(prefix)) return { ok: false, reason: 'not a vfpush://enroll link' };
  const q = new URLSearchParams(uri.slice(prefix.length));
  if (q.get('v') !== '1') return { ok: false, reason: 'unsupported version' };
  const server = q.get('server') ?? '';
  let origin: string;
  try {
    const u = new URL(server);
    origin = u.origin;
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || origin !== server.replace(/\/$/, '')) return { ok: false, reason: 'bad server origin' };
  } catch {
    return { ok: false, reason: 'bad server origin' };
  }
  const serial = q.get('serial') ?? '';
  const secret = q.get('secret') ?? '';
  if (!SERIAL.test(serial)) return { ok: false, reason: 'bad serial number' };
  if (!SECRET.test(secret)) return { ok: false, reason: 'bad enrolment secret' };
  const issuer = (q.get('issuer') ?? '').slice(0, 100);
  const account = (q.get('account') ?? '').slice(0, 100);
  return { ok: true, value: { server: origin, serial, secret, issuer, account } };
}

/** Signed at registration: proves the new key's holder read this QR code. */
export const enrolmentProof = (serial: string, secret: string) => `vfpush/enroll/v1\n${serial}\n${secret}`;

/** Signed to open the challenge stream (EventSource cannot send headers): fresh within minutes. */
export const streamProof = (serial: string, timestampMs: number) => `vfpush/events/v1\n${serial}\n${timestampMs}`;

export type PushDecision = 'approve' | 'deny';

/** Signed to answer: binds the decision to exactly one challenge. */
export const answerProof = (challengeId: string, decision: PushDecision) => `vfpush/answer/v1\n${challengeId}\n${decision}`;

/**
 * Signed to register the device's Web Push subscription (endpoint and its two keys, base64url as
 * PushSubscription.toJSON gives them), fresh within minutes like the stream's proof.
 */
export const subscriptionProof = (serial: string, timestampMs: number, endpoint: string, p256dh: string, auth: string) =>
  `vfpush/subscribe/v1\n${serial}\n${timestampMs}\n${endpoint}\n${p256dh}\n${auth}`;

/**
 * The body of a Web Push message, encrypted to the device (RFC 8291): just enough for the
 * service worker's notification. The details (who, where, transaction data) are fetched with a
 * signature when the app opens; the push service relays and may keep this, so it names no person.
 */
export interface WebPushPayload {
  v: 1;
  /** The challenge's id: the notification opens the app at it. */
  challenge: string;
  /** The resource (site) the sign-in is for. */
  resource: string;
  purpose: 'login' | 'transaction';
}

/** What the app is shown about a challenge: who, what, where and when. */
export interface PushChallengeView {
  id: string;
  purpose: 'login' | 'transaction';
  /** The resource (site) the sign-in is for. */
  resource: string;
  login: string;
  ip: string | null;
  /** Country code from GeoIP, when known. */
  country: string | null;
  userAgent: string | null;
  /** Transaction data to confirm (purpose 'transaction'). */
  data: string | null;
  createdAt: string;
  expiresAt: string;
}

/** The SSE event that carries the pending challenges (data: `{challenges: PushChallengeView[]}`). */
export const PUSH_EVENT = 'challenges';
