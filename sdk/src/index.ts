// @veriframe/sdk: the site owner's side of Veriframe (DESIGN §14).
export { createAdminClient, createApiClient, createAuthClient } from './client.js';
export type { AuthClient, AuthResult, ClientOptions, ResourceCredentials, VerifyResponse, paths, components } from './client.js';
export type {
  AuthPasswordRequest,
  AuthPrepareRequest,
  AuthSignTransactionRequest,
  AuthTokenRequest,
  AuthUserPasswordTokenRequest,
  AuthUserTokenRequest,
  AuthVerifySignedTransactionRequest,
} from './client.js';
export { VeriframeError, isVeriframeError } from './errors.js';
export type { ApiError, ErrorCode, Result, ServerErrorCode, TransportErrorCode } from './errors.js';
export { policyFetch } from './transport.js';
export type { FetchLike, TransportOptions } from './transport.js';
export { createVerifier, memoryJtiStore } from './verify.js';
export type { Amr, JtiStore, ResultClaims, VerifierOptions, VerifyOptions, VerifyOutcome, VerifyReason, VerifyResult } from './verify.js';
