// Biometric unlock with WebAuthn's PRF extension: a platform credential (fingerprint, face)
// evaluates a pseudo-random function on a stored salt; HKDF turns the output into a key that
// wraps the vault's data key. Without PRF there is no secret to wrap the key with (a credential
// that only says "yes" would leave the key readable on disk), so the app then says biometrics are
// unavailable and the PIN remains the way in.
import { randomBytes } from './bytes.js';
import { hkdfKey, unwrap, wrap } from './crypto.js';
import { setMeta } from './db.js';
import { header, keyFromPin, unlockWithKey } from './vault.js';

const INFO = 'veriframe-authenticator vault key v1';
type PrfResults = { prf?: { enabled?: boolean; results?: { first?: BufferSource } } };

export async function biometricAvailable(): Promise<boolean> {
  if (typeof PublicKeyCredential === 'undefined' || !window.isSecureContext) return false;
  try {
    const caps = await (PublicKeyCredential as unknown as { getClientCapabilities?: () => Promise<Record<string, boolean>> }).getClientCapabilities?.();
    if (caps && caps['extension:prf'] === false) return false;
    return await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable();
  } catch {
    return false;
  }
}

async function prfOutput(credentialId: Uint8Array<ArrayBuffer>, salt: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const cred = (await navigator.credentials.get({
    publicKey: {
      challenge: randomBytes(32),
      allowCredentials: [{ type: 'public-key', id: credentialId }],
      userVerification: 'required',
      extensions: { prf: { eval: { first: salt } } } as AuthenticationExtensionsClientInputs,
    },
  })) as PublicKeyCredential | null;
  const first = (cred?.getClientExtensionResults() as PrfResults | undefined)?.prf?.results?.first;
  return first ? new Uint8Array(first as ArrayBuffer) : undefined;
}

/** 'ok', or why not: 'unavailable' (no PRF / no platform authenticator), 'pin' (wrong PIN), 'failed'. */
export async function enableBiometrics(pin: string): Promise<'ok' | 'unavailable' | 'pin' | 'failed'> {
  if (!(await biometricAvailable())) return 'unavailable';
  const dataKey = await keyFromPin(pin, true);
  const h = await header();
  if (!dataKey || !h) return 'pin';
  const prfSalt = randomBytes(32);
  try {
    const created = (await navigator.credentials.create({
      publicKey: {
        rp: { name: 'Veriframe Authenticator', id: location.hostname },
        user: { id: randomBytes(16), name: 'authenticator', displayName: 'Veriframe Authenticator' },
        challenge: randomBytes(32),
        pubKeyCredParams: [
          { type: 'public-key', alg: -7 },
          { type: 'public-key', alg: -257 },
        ],
        authenticatorSelection: { authenticatorAttachment: 'platform', userVerification: 'required', residentKey: 'discouraged' },
        extensions: { prf: { eval: { first: prfSalt } } } as AuthenticationExtensionsClientInputs,
      },
    })) as PublicKeyCredential | null;
    if (!created) return 'failed';
    const ext = created.getClientExtensionResults() as PrfResults;
    if (!ext.prf?.enabled) return 'unavailable';
    const credentialId = new Uint8Array(created.rawId);
    const first = ext.prf.results?.first ? new Uint8Array(ext.prf.results.first as ArrayBuffer) : await prfOutput(credentialId, prfSalt);
    if (!first) return 'unavailable';
    const wrapped = await wrap(await hkdfKey(first, INFO), dataKey);
    await setMeta('vault', { ...h, biometric: { credentialId, prfSalt, wrapped } });
    return 'ok';
  } catch {
    return 'failed';
  }
}

export async function unlockWithBiometrics(): Promise<boolean> {
  const bio = (await header())?.biometric;
  if (!bio) return false;
  try {
    const first = await prfOutput(bio.credentialId, bio.prfSalt);
    if (!first) return false;
    unlockWithKey(await unwrap(await hkdfKey(first, INFO), bio.wrapped));
    return true;
  } catch {
    return false;
  }
}

export async function disableBiometrics(): Promise<void> {
  const h = await header();
  if (h?.biometric) {
    const { biometric: _, ...rest } = h;
    await setMeta('vault', rest);
  }
}
