// The widget's result token, checked the two ways DESIGN §7.2 allows, with one outcome type:
// online (POST /api/v1/verify: authoritative and single use across every instance of the site)
// or offline (signature against the JWKS, then the same claim checks in the same order as the
// server, and single use within this process through a jti store).
import { compactVerify, createRemoteJWKSet, customFetch, decodeProtectedHeader, errors } from 'jose';
import { createAuthClient, type ClientOptions, type ResourceCredentials } from './client.js';
import { VeriframeError, type ApiError } from './errors.js';
import type { components } from './openapi.js';
import { policyFetch } from './transport.js';

/** The server's refusal reasons (server/src/jwt/result.ts). */
export type VerifyReason = NonNullable<components['schemas']['VerifyResult']['reason']>;
export type Amr = 'pwd' | 'otp' | 'bypass' | 'enroll';

export interface ResultClaims {
  /** Veriframe's PUBLIC_URL (online: the issuer this verifier was given, which the server checked). */
  iss: string;
  /** The resource id. */
  aud: string;
  /** The user id. */
  sub: string;
  login: string;
  /** How the user authenticated. */
  amr: Amr[];
  /** The origin of the page the widget was embedded in. */
  origin: string;
}

export type VerifyOutcome =
  | { valid: true; claims: ResultClaims }
  | { valid: false; reason: VerifyReason }
  /** The check could not be made (Veriframe or the JWKS unreachable, credentials refused). */
  | { valid: false; reason: 'request_failed'; error: ApiError };

/** Remembers used token ids; `use` answers true the first time only. Share one across instances for a cluster. */
export interface JtiStore {
  use(jti: string, expiresAt: Date): boolean | Promise<boolean>;
}

/** An in-process JtiStore that forgets ids once their token has expired. */
export function memoryJtiStore(now: () => number = Date.now): JtiStore {
  const used = new Map<string, number>();
  return {
    use(jti, expiresAt) {
      const t = now();
      for (const [k, until] of used) if (until <= t) used.delete(k);
      if (used.has(jti)) return false;
      used.set(jti, expiresAt.getTime());
      return true;
    },
  };
}

export interface VerifierOptions extends ClientOptions {
  /** The resource the tokens are for: its id is the expected `aud`; its secret is needed online. */
  resource: ResourceCredentials | { id: string; secret?: undefined };
  /** The expected `iss`: Veriframe's PUBLIC_URL (default: baseUrl). */
  issuer?: string;
  /** Default mode: online when a secret is given, else offline. */
  mode?: 'online' | 'offline';
  jtiStore?: JtiStore;
  /** Least time between two JWKS fetches for an unknown kid (default 30 s, as jose). */
  jwksCooldownMs?: number;
  /** Clock for the offline checks, in ms (default Date.now). */
  now?: () => number;
}

export interface VerifyOptions {
  /** The nonce this site minted for the login (`data-nonce`). */
  nonce: string;
  mode?: 'online' | 'offline';
}

export type VerifyResult = (token: string, opts: VerifyOptions) => Promise<VerifyOutcome>;

// As the server (server/src/jwt/result.ts).
const ALG = 'ES256';
const LEEWAY_S = 60;
const MAX_TOKEN_LENGTH = 4096;
const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const AMR = new Set<unknown>(['pwd', 'otp', 'bypass', 'enroll']);

interface Payload extends ResultClaims {
  nonce: string;
  jti: string;
  iat: number;
  exp: number;
  auth_time: number;
}

function asPayload(bytes: Uint8Array): Payload | undefined {
  let c: unknown;
  try {
    c = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return undefined;
  const o = c as Record<string, unknown>;
  const strings = ['iss', 'aud', 'sub', 'login', 'origin', 'nonce', 'jti'].every((k) => typeof o[k] === 'string');
  const numbers = ['iat', 'exp', 'auth_time'].every((k) => Number.isSafeInteger(o[k]));
  const amr = Array.isArray(o.amr) && o.amr.every((a) => AMR.has(a));
  return strings && numbers && amr ? (o as unknown as Payload) : undefined;
}

/** Compares without an early exit, so timing does not tell how much of a nonce matched. */
function sameString(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

const refuse = (reason: VerifyReason): VerifyOutcome => ({ valid: false, reason });

/**
 * What a failed signature check means: something wrong with the token is a reason like the
 * server's; a JWKS that could not be fetched or read is `request_failed`, never a verdict on the
 * token (a 503 from the JWKS must not read as `malformed`).
 */
function verifyFailure(err: unknown): VerifyOutcome {
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) return refuse('unknown_key');
  if (err instanceof errors.JWSSignatureVerificationFailed) return refuse('bad_signature');
  if (err instanceof errors.JOSEAlgNotAllowed) return refuse('alg_not_allowed');
  if (err instanceof errors.JWSInvalid || err instanceof errors.JOSENotSupported) return refuse('malformed');
  if (err instanceof VeriframeError) return { valid: false, reason: 'request_failed', error: { status: 0, code: err.code, message: err.message } };
  if (err instanceof errors.JWKSTimeout)
    return { valid: false, reason: 'request_failed', error: { status: 0, code: 'timeout', message: 'The JWKS was not fetched in time.' } };
  const message = `The JWKS could not be fetched or read: ${err instanceof Error ? err.message : String(err)}`;
  return {
    valid: false,
    reason: 'request_failed',
    error: { status: 0, code: err instanceof errors.JOSEError ? 'unexpected_response' : 'network_error', message },
  };
}

/** `verifyResult(token, { nonce })` for one resource; keeps the JWKS cached between calls. */
export function createVerifier(opts: VerifierOptions): VerifyResult {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const issuer = opts.issuer ?? baseUrl;
  const now = opts.now ?? Date.now;
  const jtis = opts.jtiStore ?? memoryJtiStore(now);
  const secret = opts.resource.secret;
  const online = secret ? createAuthClient({ ...opts, resource: { id: opts.resource.id, secret } }) : undefined;
  const fetchJwks = policyFetch(opts);
  // jose caches the set, and fetches it again for a kid it does not know (after the cooldown).
  const jwks = createRemoteJWKSet(new URL(`${baseUrl}/.well-known/jwks.json`), {
    timeoutDuration: opts.timeoutMs ?? 10_000,
    cooldownDuration: opts.jwksCooldownMs ?? 30_000,
    [customFetch]: (url, init) => fetchJwks(new Request(url, init as RequestInit)),
  });

  async function verifyOnline(token: string, nonce: string): Promise<VerifyOutcome> {
    if (!online)
      return {
        valid: false,
        reason: 'request_failed',
        error: { status: 0, code: 'invalid_resource_credentials', message: 'Online verification needs the resource secret.' },
      };
    const r = await online.verify({ token, nonce });
    if (!r.ok) {
      // Fields the server refuses before looking (400) get the reason the offline check gives
      // them: a token too long to be one is `malformed`, a nonce no widget sends cannot match.
      if (r.error.status === 400 && r.error.field === 'body.token') return refuse('malformed');
      if (r.error.status === 400 && r.error.field === 'body.nonce') return refuse('nonce_mismatch');
      return { valid: false, reason: 'request_failed', error: r.error };
    }
    const d = r.data;
    if (!d.valid) return refuse(d.reason ?? 'malformed');
    return { valid: true, claims: { iss: issuer, aud: opts.resource.id, sub: d.sub ?? '', login: d.login ?? '', amr: d.amr ?? [], origin: d.origin ?? '' } };
  }

  async function verifyOffline(token: string, nonce: string): Promise<VerifyOutcome> {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !COMPACT.test(token)) return refuse('malformed');
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return refuse('malformed');
    }
    if (header.alg !== ALG) return refuse('alg_not_allowed');
    if (typeof header.kid !== 'string' || header.kid.length > 64) return refuse('unknown_key');
    let bytes: Uint8Array;
    try {
      ({ payload: bytes } = await compactVerify(token, jwks, { algorithms: [ALG] }));
    } catch (err) {
      return verifyFailure(err);
    }
    const c = asPayload(bytes);
    if (!c) return refuse('malformed');
    if (c.iss !== issuer) return refuse('wrong_issuer');
    if (c.aud !== opts.resource.id) return refuse('wrong_audience');
    const t = Math.floor(now() / 1000);
    if (c.exp + LEEWAY_S <= t) return refuse('expired');
    if (c.iat > t + LEEWAY_S) return refuse('not_yet_valid');
    if (typeof nonce !== 'string' || !sameString(c.nonce, nonce)) return refuse('nonce_mismatch');
    if (!(await jtis.use(c.jti, new Date((c.exp + LEEWAY_S) * 1000)))) return refuse('replayed');
    return { valid: true, claims: { iss: c.iss, aud: c.aud, sub: c.sub, login: c.login, amr: c.amr, origin: c.origin } };
  }

  return (token, { nonce, mode }) => {
    const m = mode ?? opts.mode ?? (secret ? 'online' : 'offline');
    return m === 'online' ? verifyOnline(token, nonce) : verifyOffline(token, nonce);
  };
}
