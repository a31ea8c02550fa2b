// The two ways a site's backend can check the widget's result token (DESIGN §7.2), both shown
// on the demo's result page, both through @veriframe/sdk as a site owner would: online with
// POST /api/v1/verify (authoritative, single use) and offline against the public JWKS (ES256,
// iss, aud, exp, nonce; single use within this process). This file only words the outcomes.
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createVerifier, type VerifyOutcome, type VerifyReason } from '../sdk/src/index.js';

export type Check = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string };

export interface Resource {
  id: string;
  secret: string;
}

const explained: Record<VerifyReason, string> = {
  malformed: 'The token is not a valid result JWT.',
  unknown_key: 'The token names a key (kid) the JWKS does not publish.',
  bad_signature: 'The signature does not match any published key (forged or altered token).',
  alg_not_allowed: 'The token is not signed with ES256.',
  wrong_issuer: 'The issuer (iss) is not this Veriframe.',
  wrong_audience: "The audience (aud) is not the demo's resource.",
  expired: 'The token has expired (it is valid for 120 s).',
  not_yet_valid: 'The token was issued in the future (clocks apart?).',
  nonce_mismatch: 'The nonce in the token is not the one minted for this page view.',
  replayed: 'This token was verified before.',
};

/** What the result page shows for an outcome: the reason code and what it means. */
function wording(outcome: VerifyOutcome, token: string): Check {
  if (outcome.valid) {
    // Verified by the SDK; the raw payload and key id are shown for the curious.
    let raw: Record<string, unknown> = {};
    try {
      raw = { ...decodeJwt(token), kid: decodeProtectedHeader(token).kid };
    } catch {
      // Cannot happen for a token that verified; the SDK's claims are enough.
    }
    return { ok: true, claims: { ...raw, ...outcome.claims } };
  }
  if (outcome.reason === 'request_failed') {
    const e = outcome.error;
    if (e.status === 401)
      return { ok: false, reason: "Veriframe refused the demo's resource credentials (was the secret rotated? restart the demo to get a new one)." };
    return { ok: false, reason: `The check could not be made: ${e.code} (${e.message}).` };
  }
  return { ok: false, reason: `reason "${outcome.reason}": ${explained[outcome.reason]}` };
}

export interface DemoVerifier {
  online(token: string, nonce: string): Promise<Check>;
  offline(token: string, nonce: string): Promise<Check>;
}

/** `apiUrl`: where the demo's server reaches Veriframe; `issuer`: Veriframe's PUBLIC_URL. */
export function demoVerifier(apiUrl: string, issuer: string, resource: Resource): DemoVerifier {
  const verify = createVerifier({ baseUrl: apiUrl, issuer, resource });
  return {
    online: async (token, nonce) => wording(await verify(token, { nonce, mode: 'online' }), token),
    offline: async (token, nonce) => wording(await verify(token, { nonce, mode: 'offline' }), token),
  };
}
