// The two ways a site's backend can check the widget's result token (DESIGN §7.2), both shown
// on the demo's result page: online with POST /api/v1/verify (also single use), and offline with
// any JOSE library against the public JWKS (here `jose`), checking iss, aud, exp and the nonce.
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { apiCaller, basic, isApiError } from './admin-api.js';

export type Check = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string };

export interface Resource {
  id: string;
  secret: string;
}

/** POST /api/v1/verify with the resource's Basic credentials: the authoritative, single-use check. */
export async function verifyOnline(apiUrl: string, resource: Resource, token: string, nonce: string): Promise<Check> {
  try {
    const answer = await apiCaller(apiUrl, basic(resource.id, resource.secret))<{ valid: boolean; reason?: string } & Record<string, unknown>>('POST', '/api/v1/verify', { token, nonce });
    if (answer.valid) return { ok: true, claims: answer };
    return { ok: false, reason: `Veriframe answered valid: false, reason "${answer.reason}"${answer.reason === 'replayed' ? ' (this token was verified before)' : ''}.` };
  } catch (err) {
    if (isApiError(err) && err.status === 401) return { ok: false, reason: 'Veriframe refused the demo\'s resource credentials (was the secret rotated? restart the demo to get a new one).' };
    if (isApiError(err) && err.status === 400) return { ok: false, reason: `Veriframe refused the request: ${err.message}` };
    return { ok: false, reason: (err as Error).message };
  }
}

/** What a jose error means, in the words of the check that failed. */
function offlineReason(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'The token has expired (it is valid for 120 s).';
  if (err instanceof errors.JWTClaimValidationFailed) {
    const claim = { iss: 'issuer (iss) is not this Veriframe', aud: 'audience (aud) is not the demo\'s resource' }[err.claim];
    return claim ? `The ${claim}.` : `The claim "${err.claim}" is invalid: ${err.reason}.`;
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'The signature does not match any published key (forged or altered token).';
  if (err instanceof errors.JWKSNoMatchingKey) return 'The token names a key (kid) the JWKS does not publish.';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'The token is not signed with ES256.';
  if (err instanceof errors.JWKSTimeout) return 'The JWKS could not be fetched in time.';
  if (err instanceof errors.JOSEError) return `The token is not a valid JWT (${err.code}).`;
  return `The JWKS could not be fetched: ${(err as Error).message}`;
}

export interface OfflineVerifier {
  (token: string, nonce: string, audience: string): Promise<Check>;
}

/**
 * Offline verification: the keys come from `${apiUrl}/.well-known/jwks.json` (fetched once and
 * cached by jose, refetched for an unknown kid); `issuer` is Veriframe's PUBLIC_URL. Consumes
 * nothing, so a copied token would pass here again until it expires: sites that check offline
 * keep their own record of used jti values or nonces (the demo uses its nonces).
 */
export function offlineVerifier(apiUrl: string, issuer: string): OfflineVerifier {
  const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', apiUrl));
  return async (token, nonce, audience) => {
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer, audience, algorithms: ['ES256'], clockTolerance: 60 });
      if (payload.nonce !== nonce) return { ok: false, reason: 'The nonce in the token is not the one minted for this page view.' };
      return { ok: true, claims: { ...(payload as JWTPayload), kid: decodeProtectedHeader(token).kid } };
    } catch (err) {
      return { ok: false, reason: offlineReason(err) };
    }
  };
}
