// The postMessage protocol between the embed loader (on the site's page) and the iframe app (on
// the Veriframe origin), used by both sides so they cannot drift apart. It has no dependencies:
// the loader must stay under 3 kB.
//
// Handshake: the loader creates the iframe, waits for its `load`, then posts `hello` to
// `iframe.contentWindow` with targetOrigin = the exact Veriframe origin and transfers port2 of
// a MessageChannel. The iframe accepts `hello` only from `event.source === window.parent` and
// `event.origin === the parent origin the server validated` (string equality). Everything after
// the handshake goes over the port, never through window.postMessage, and "*" is never a
// target origin.

export const PROTOCOL_VERSION = 1;

export const HELLO = 'veriframe:hello';

export interface HelloMessage {
  v: typeof PROTOCOL_VERSION;
  type: typeof HELLO;
  instance: string;
  nonce: string;
}

export type WidgetStep = 'identify' | 'otp' | 'done' | 'error';

/** Error codes the iframe reports to the page (and to `data-error-callback`). */
// not_allowed: the resource's filters refuse this sign-in (IP, country, time, user agent).
// denied: the user denied the sign-in in their authenticator app (push token).
export const widgetErrorCodes = [
  'origin_not_allowed',
  'not_allowed',
  'resource_unavailable',
  'expired',
  'locked',
  'throttled',
  'network',
  'protocol',
  'denied',
] as const;
export type WidgetErrorCode = (typeof widgetErrorCodes)[number];

/** iframe → page, over the port. */
export type FrameMessage =
  | { v: 1; type: 'ready' }
  | { v: 1; type: 'resize'; height: number }
  | { v: 1; type: 'state'; step: WidgetStep }
  | { v: 1; type: 'result'; token: string }
  | { v: 1; type: 'error'; code: WidgetErrorCode }
  | { v: 1; type: 'expired' };

/** page → iframe, over the port. */
export type ParentMessage = { v: 1; type: 'reset' } | { v: 1; type: 'lang'; lang: string } | { v: 1; type: 'theme'; theme: 'light' | 'dark' | 'auto' };

const isObject = (d: unknown): d is Record<string, unknown> => typeof d === 'object' && d !== null && !Array.isArray(d);
const isId = (s: unknown): s is string => typeof s === 'string' && /^[A-Za-z0-9_-]{1,128}$/.test(s);
const keysAre = (d: Record<string, unknown>, keys: string[]) => Object.keys(d).every((k) => keys.includes(k));

/** A well-formed `hello` of this protocol version, or null. */
export function parseHello(data: unknown): HelloMessage | null {
  if (!isObject(data) || data.v !== PROTOCOL_VERSION || data.type !== HELLO || !keysAre(data, ['v', 'type', 'instance', 'nonce'])) return null;
  return isId(data.instance) && isId(data.nonce) ? (data as unknown as HelloMessage) : null;
}

/** A well-formed message from the iframe, or null (unknown types and extra fields are refused). */
export function parseFrameMessage(data: unknown): FrameMessage | null {
  if (!isObject(data) || data.v !== PROTOCOL_VERSION || typeof data.type !== 'string') return null;
  switch (data.type) {
    case 'ready':
    case 'expired':
      return keysAre(data, ['v', 'type']) ? (data as FrameMessage) : null;
    case 'resize':
      return keysAre(data, ['v', 'type', 'height']) &&
        typeof data.height === 'number' &&
        Number.isFinite(data.height) &&
        data.height >= 0 &&
        data.height <= 4000
        ? (data as FrameMessage)
        : null;
    case 'state':
      return keysAre(data, ['v', 'type', 'step']) && ['identify', 'otp', 'done', 'error'].includes(data.step as string) ? (data as FrameMessage) : null;
    case 'result':
      // A compact JWS: three base64url parts.
      return keysAre(data, ['v', 'type', 'token']) && typeof data.token === 'string' && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(data.token) && data.token.length < 4096
        ? (data as FrameMessage)
        : null;
    case 'error':
      return keysAre(data, ['v', 'type', 'code']) && (widgetErrorCodes as readonly string[]).includes(data.code as string) ? (data as FrameMessage) : null;
    default:
      return null;
  }
}

/** A well-formed message from the page, or null. */
export function parseParentMessage(data: unknown): ParentMessage | null {
  if (!isObject(data) || data.v !== PROTOCOL_VERSION) return null;
  if (data.type === 'reset' && keysAre(data, ['v', 'type'])) return data as ParentMessage;
  if (data.type === 'lang' && keysAre(data, ['v', 'type', 'lang']) && typeof data.lang === 'string' && /^[a-z]{2}$/.test(data.lang))
    return data as ParentMessage;
  if (data.type === 'theme' && keysAre(data, ['v', 'type', 'theme']) && ['light', 'dark', 'auto'].includes(data.theme as string)) return data as ParentMessage;
  return null;
}

/** Languages with a catalogue; anything else falls back to English. */
export const widgetLanguages = ['en', 'fr', 'de', 'es', 'ru', 'uk'] as const;
export type WidgetLanguage = (typeof widgetLanguages)[number];

// ---- the iframe's JSON API (/widget/api/...), same-origin, no cookies ----------------------

/** What the second step needs to show. */
export interface OtpStep {
  type: 'totp' | 'hotp' | 'email' | 'sms' | 'bot' | 'ocra';
  digits: number;
  /** OCRA question to show (as digits and as a QR code). */
  challenge?: string;
  /** Seconds until a code may be sent again (e-mail/SMS/bot). */
  resendAfter?: number;
  /** The token has a PIN, typed together with the code: the field must not stop at `digits`. */
  pin?: boolean;
}

/** Token types a user may enrol during login (DESIGN §12, resource setting enrollOnLogin). */
export const widgetEnrollTypes = ['totp', 'hotp', 'email', 'sms', 'bot', 'push'] as const;
export type WidgetEnrollType = (typeof widgetEnrollTypes)[number];

/** Answers of identify / otp: the next step, or the signed result. `enroll`: the user has no token here and may enrol one. */
export type StepAnswer =
  | { step: 'otp'; otp: OtpStep }
  | { step: 'push'; push: PushStep }
  | { step: 'enroll'; enroll: { types: WidgetEnrollType[] } }
  | { step: 'done'; token: string };

/** Waiting for the user's authenticator app (push token): the widget asks POST /widget/api/push until it moves on. */
export interface PushStep {
  expiresAt: string;
}

/** Answer of POST /widget/api/enroll: what to add to the authenticator, or where the code went. */
export interface EnrollAnswer {
  type: WidgetEnrollType;
  otpauthUri?: string;
  /** Push tokens: the vfpush://enroll link for the authenticator app (shown as a QR code). */
  pushUri?: string;
  secret?: string;
  qrSvg?: string;
  sentTo?: string;
  digits: number;
}

export interface StartAnswer {
  transaction: string;
  expiresAt: string;
  /** Whether the identify step asks for a password (resource authMethod password or password+otp). */
  password: boolean;
}

/** Answer of POST /widget/api/resend. */
export interface ResendAnswer {
  resendAfter: number;
}

/** id of the `<script type="application/json">` element in the iframe page holding FrameConfig. */
export const FRAME_CONFIG_ID = 'vf-config';

/**
 * What the server tells the iframe app about itself, as JSON data (not a script, so the page's
 * CSP needs no inline script). Every value was validated by the server.
 */
export interface FrameConfig {
  resourceId: string;
  /** The parent page's origin, checked against the resource's allowedOrigins: hello must come from it. */
  parentOrigin: string;
  instance: string;
  /** A language with a catalogue, or 'auto' (the browser's languages decide). */
  lang: WidgetLanguage | 'auto';
  theme: 'light' | 'dark' | 'auto';
  authMethod: 'password' | 'otp' | 'password+otp';
  resourceName: string;
}
