import { z } from '@hono/zod-openapi';

// Bodies and answers of the authenticator app's push API (/app/api/push, DESIGN §13).

const serial = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._\-/]+$/, 'a push token serial number')
  .openapi({ description: 'The serial number from the enrolment link.' });
const b64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, 'base64url without padding');
const signature = b64url(128).openapi({ description: 'ECDSA P-256 / SHA-256 signature by the device key, IEEE P1363 (r‖s), base64url.' });

export const registerBody = z
  .object({
    serial,
    secret: z
      .string()
      .regex(/^[A-Za-z0-9_-]{43}$/, 'the enrolment secret from the link')
      .openapi({ description: 'The one-time enrolment secret from the link.' }),
    publicKey: b64url(512).openapi({ description: 'The device public key: SPKI DER, base64url (WebCrypto `exportKey("spki")`).' }),
    signature: signature.openapi({ description: 'Signature of `vfpush/enroll/v1\\n{serial}\\n{secret}` by the new key (proof of possession).' }),
  })
  .strict()
  .openapi('PushRegister');

export const registeredSchema = z.object({ serial: z.string(), registeredAt: z.string() }).openapi('PushRegistered');

export const deviceProofQuery = z.object({
  serial,
  timestamp: z
    .string()
    .regex(/^\d{1,15}$/, 'milliseconds since 1970')
    .openapi({ description: 'The device clock in ms; within 5 minutes of the server clock.' }),
  signature: signature.openapi({ description: 'Signature of `vfpush/events/v1\\n{serial}\\n{timestamp}`.' }),
});

export const challengeSchema = z
  .object({
    id: z.uuid(),
    purpose: z.enum(['login', 'transaction']),
    resource: z.string().openapi({ description: 'The site the sign-in is for.' }),
    login: z.string(),
    ip: z.string().nullable(),
    country: z.string().nullable().openapi({ description: 'ISO country of the IP from GeoIP, when known.' }),
    userAgent: z.string().nullable(),
    data: z.string().nullable().openapi({ description: 'Transaction data to confirm (purpose transaction).' }),
    createdAt: z.string(),
    expiresAt: z.string(),
  })
  .openapi('PushChallenge');

export const challengeListSchema = z.object({ challenges: z.array(challengeSchema) }).openapi('PushChallengeList');

export const challengeParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export const answerBody = z
  .object({
    serial,
    decision: z.enum(['approve', 'deny']),
    signature: signature.openapi({ description: 'Signature of `vfpush/answer/v1\\n{challengeId}\\n{decision}`.' }),
  })
  .strict()
  .openapi('PushAnswer');

export const answeredSchema = z.object({ id: z.uuid(), status: z.enum(['approved', 'denied']) }).openapi('PushAnswered');

const b64urlBytes = (bytes: number, description: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'base64url without padding')
    .refine((v) => Buffer.from(v, 'base64url').length === bytes, `${bytes} bytes in base64url`)
    .openapi({ description });

export const webPushSchema = z
  .object({
    publicKey: z.string().nullable().openapi({
      description: "The server's VAPID public key (uncompressed P-256, base64url) for `pushManager.subscribe`; null when Web Push is not configured.",
    }),
  })
  .openapi('PushWebPush');

export const subscriptionBody = z
  .object({
    serial,
    endpoint: z
      .string()
      .max(2048)
      .regex(/^https:\/\/[^\s]+$/, 'an https URL')
      .refine((v) => URL.canParse(v), 'an https URL')
      .openapi({ description: "The push service's endpoint from `PushSubscription.toJSON()`." }),
    p256dh: b64urlBytes(65, "The subscription's `keys.p256dh`: the browser's P-256 public key, uncompressed."),
    auth: b64urlBytes(16, "The subscription's `keys.auth`: its 16-byte authentication secret."),
    timestamp: z
      .string()
      .regex(/^\d{1,15}$/, 'milliseconds since 1970')
      .openapi({ description: 'The device clock in ms; within 5 minutes of the server clock.' }),
    signature: signature.openapi({ description: 'Signature of `vfpush/subscribe/v1\\n{serial}\\n{timestamp}\\n{endpoint}\\n{p256dh}\\n{auth}`.' }),
  })
  .strict()
  .openapi('PushSubscription');

export const subscribedSchema = z.object({ serial: z.string(), subscribed: z.literal(true) }).openapi('PushSubscribed');
