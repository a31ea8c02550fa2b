import createClient, { type Client } from 'openapi-fetch';
import { errorFromBody, errorFromThrown, type Result } from './errors.js';
import type { components, paths } from './openapi.js';
import { policyFetch, type TransportOptions } from './transport.js';

type Schemas = components['schemas'];
export type AuthResult = Schemas['AuthResult'];
export type AuthTokenRequest = Schemas['AuthToken'];
export type AuthPasswordRequest = Schemas['AuthPassword'];
export type AuthUserTokenRequest = Schemas['AuthUserToken'];
export type AuthUserPasswordTokenRequest = Schemas['AuthUserPasswordToken'];
export type AuthPrepareRequest = Schemas['AuthPrepare'];
export type AuthSignTransactionRequest = Schemas['AuthSignTransaction'];
export type AuthVerifySignedTransactionRequest = Schemas['AuthVerifySignedTransaction'];
export type AuthPushStatusRequest = Schemas['AuthPushStatus'];
export type VerifyResponse = Schemas['VerifyResult'];
export type { paths, components };

export interface ResourceCredentials {
  /** The resource id. */
  id: string;
  /** Its verification secret (`vfs_...`), shown once at creation or rotation. */
  secret: string;
}

export interface ClientOptions extends TransportOptions {
  /** Where Veriframe answers, e.g. https://mfa.example.com (its PUBLIC_URL, or an internal address). */
  baseUrl: string;
}

/** The server-to-server authentication API (DESIGN §5): one method per call, never throwing. */
export interface AuthClient {
  token(body: AuthTokenRequest): Promise<Result<AuthResult>>;
  password(body: AuthPasswordRequest): Promise<Result<AuthResult>>;
  userToken(body: AuthUserTokenRequest): Promise<Result<AuthResult>>;
  userPasswordToken(body: AuthUserPasswordTokenRequest): Promise<Result<AuthResult>>;
  prepare(body: AuthPrepareRequest): Promise<Result<AuthResult>>;
  signTransaction(body: AuthSignTransactionRequest): Promise<Result<AuthResult>>;
  verifySignedTransaction(body: AuthVerifySignedTransactionRequest): Promise<Result<AuthResult>>;
  /** A push token's answer to `prepare` / `signTransaction`: `push_pending` until the app decides. */
  pushStatus(body: AuthPushStatusRequest): Promise<Result<AuthResult>>;
  /** POST /api/v1/verify as is; `verifyResult` wraps it with the common outcome. */
  verify(body: { token: string; nonce: string }): Promise<Result<VerifyResponse>>;
}

const basic = (c: ResourceCredentials) => 'Basic ' + btoa(String.fromCharCode(...new TextEncoder().encode(`${c.id}:${c.secret}`)));

/** A typed openapi-fetch client over every path of the document, with timeouts and retries. */
export function createApiClient(opts: ClientOptions & { authorization?: string }): Client<paths> {
  return createClient<paths>({
    baseUrl: opts.baseUrl.replace(/\/+$/, ''),
    fetch: policyFetch(opts),
    ...(opts.authorization ? { headers: { authorization: opts.authorization } } : {}),
  });
}

/**
 * The administration API with an API key (`Authorization: Bearer vf_...`): every path of the
 * OpenAPI document, typed. Answers are `{ data }` or `{ error }` (the server's error body);
 * a timeout or an unreachable server rejects with a VeriframeError.
 */
export function createAdminClient(opts: ClientOptions & { apiKey: string }): Client<paths> {
  return createApiClient({ ...opts, authorization: `Bearer ${opts.apiKey}` });
}

type AnswerOf = { data?: unknown; error?: unknown; response: Response };

/** One call as a Result: a 429 of the authentication API still carries its AuthResult body. */
async function settle<T>(call: () => Promise<AnswerOf>, okOn429 = false): Promise<Result<T>> {
  let answer: AnswerOf;
  try {
    answer = await call();
  } catch (err) {
    return { ok: false, error: errorFromThrown(err) };
  }
  const { response, data, error } = answer;
  if (response.ok) return { ok: true, data: data as T };
  if (okOn429 && response.status === 429 && typeof (error as { result?: unknown } | undefined)?.result === 'boolean') return { ok: true, data: error as T };
  return { ok: false, error: errorFromBody(response.status, response.headers, error) };
}

export function createAuthClient(opts: ClientOptions & { resource: ResourceCredentials }): AuthClient {
  const api = createApiClient({ ...opts, authorization: basic(opts.resource) });
  const params = { path: { resourceId: opts.resource.id } };
  const post =
    <P extends keyof paths & `/api/v1/auth/{resourceId}/${string}`>(path: P) =>
    (body: unknown) =>
      settle<AuthResult>(() => api.POST(path as '/api/v1/auth/{resourceId}/token', { params, body: body as AuthTokenRequest }), true);
  return {
    token: post('/api/v1/auth/{resourceId}/token'),
    password: post('/api/v1/auth/{resourceId}/password'),
    userToken: post('/api/v1/auth/{resourceId}/user-token'),
    userPasswordToken: post('/api/v1/auth/{resourceId}/user-password-token'),
    prepare: post('/api/v1/auth/{resourceId}/prepare'),
    signTransaction: post('/api/v1/auth/{resourceId}/sign-transaction'),
    verifySignedTransaction: post('/api/v1/auth/{resourceId}/verify-signed-transaction'),
    pushStatus: post('/api/v1/auth/{resourceId}/push-status'),
    verify: (body) => settle<VerifyResponse>(() => api.POST('/api/v1/verify', { body })),
  };
}
