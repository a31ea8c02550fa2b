// OCRA (RFC 6287) on the server: the shared suite parsing and DataInput (shared/otp/ocra.ts) with
// node:crypto's HMAC and PIN hash. The authenticator app runs the same maths on WebCrypto.
import { createHash } from 'node:crypto';
import {
  generateOcraChallenge,
  ocraDataInput as sharedDataInput,
  ocraResponse,
  parseOcraSuite,
  type OcraInput as SharedOcraInput,
  type OcraQuestionFormat,
  type OcraSuite,
} from '../../../shared/otp/ocra.js';
import { digestName, hmacDigest, toBuffer } from './hotp.js';

export { generateOcraChallenge, parseOcraSuite, type OcraQuestionFormat, type OcraSuite };

export type OcraInput = SharedOcraInput & {
  /** The PIN itself, hashed here with the suite's P algorithm; or give `pinHash`. */
  pin?: string;
};

function withPinHash(suite: string, input: OcraInput): SharedOcraInput {
  if (input.pin === undefined) return input;
  if (input.pinHash !== undefined) throw new Error('give either an OCRA pin or its hash, not both');
  const algorithm = parseOcraSuite(suite).pin;
  if (!algorithm) return input;
  const { pin, ...rest } = input;
  return { ...rest, pinHash: createHash(digestName(algorithm)).update(pin, 'utf8').digest() };
}

/** The DataInput of RFC 6287 §5.1. Inputs the suite does not use are ignored. */
export function ocraDataInput(suite: string, input: OcraInput): Buffer {
  return toBuffer(sharedDataInput(suite, withPinHash(suite, input)));
}

export function ocra(suite: string, secret: Uint8Array, input: OcraInput): string {
  const parsed = parseOcraSuite(suite);
  return ocraResponse(parsed, hmacDigest(parsed.algorithm, secret, ocraDataInput(suite, input)));
}
