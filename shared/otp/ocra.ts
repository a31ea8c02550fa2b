// OCRA (RFC 6287) without the HMAC: suite parsing, the DataInput that is MACed, and the response
// from the MAC. The byte layout follows §5 and the RFC's reference implementation exactly, since
// hardware tokens were built against that code: suite, 0x00, C (8), Q (128), P, S, T (8). The
// caller computes the HMAC and, for P suites, the PIN hash (node:crypto on the server, WebCrypto
// in the authenticator app).
import { bytesToHex, concatBytes, counterBytes, hexToBytes, timeStep, truncateToDigits, type OtpAlgorithm } from './hotp.js';

export type OcraQuestionFormat = 'A' | 'N' | 'H';

export type OcraSuite = {
  algorithm: OtpAlgorithm;
  /** 0 means no truncation: the response is the full HMAC in lower-case hex. */
  digits: number;
  counter: boolean;
  question: { format: OcraQuestionFormat; length: number };
  pin?: OtpAlgorithm;
  /** Session information length in bytes. */
  session?: number;
  /** Time-step size in seconds. */
  timeStep?: number;
};

export type OcraInput = {
  counter?: bigint | number;
  question: string;
  /** PIN hash with the suite's P algorithm (the caller hashes the PIN). */
  pinHash?: Uint8Array;
  /** Session information (bytes, or a string taken as UTF-8), at most the suite's S length. */
  session?: Uint8Array | string;
  /** Needed only by suites with T. */
  nowMs?: number;
};

const QUESTION_BYTES = 128;
const PIN_HASH_BYTES: Record<OtpAlgorithm, number> = { SHA1: 20, SHA256: 32, SHA512: 64 };
const TIME_UNIT_SECONDS = { S: 1, M: 60, H: 3600 } as const;
const TIME_UNIT_MAX = { S: 59, M: 59, H: 48 } as const;

const CRYPTO_FUNCTION = /^HOTP-(SHA1|SHA256|SHA512)-(0|[4-9]|10)$/;
const COUNTER = /^C$/;
const QUESTION = /^Q([ANH])(\d\d)$/;
const PIN = /^P(SHA1|SHA256|SHA512)$/;
const SESSION = /^S(\d{3})$/;
const TIME = /^T(\d{1,2})([SMH])$/;

function invalid(suite: string, why: string): Error {
  // The suite is configuration, not a secret, so it may appear in the message.
  return new Error(`invalid OCRA suite "${suite}": ${why}`);
}

/** Parses `OCRA-1:HOTP-<alg>-<digits>:[C-]Q<fmt><len>[-P<alg>][-S<len>][-T<n><unit>]`. */
export function parseOcraSuite(suite: string): OcraSuite {
  const parts = suite.split(':');
  if (parts.length !== 3) throw invalid(suite, 'expected three parts separated by ":"');
  const [version, cryptoFunction, dataInput] = parts as [string, string, string];
  if (version !== 'OCRA-1') throw invalid(suite, 'only version OCRA-1 is defined');
  const crypto = CRYPTO_FUNCTION.exec(cryptoFunction);
  if (!crypto) throw invalid(suite, 'crypto function must be HOTP-SHA1|SHA256|SHA512-<0 or 4..10 digits>');

  const fields = dataInput.split('-');
  let i = 0;
  const counter = fields[i] !== undefined && COUNTER.test(fields[i]!);
  if (counter) i++;
  const q = QUESTION.exec(fields[i] ?? '');
  if (!q) throw invalid(suite, 'data input needs a question QA|QN|QH<04..64>, after the optional C');
  const length = Number(q[2]);
  if (length < 4 || length > 64) throw invalid(suite, 'question length must be between 04 and 64');
  i++;

  const parsed: OcraSuite = {
    algorithm: crypto[1] as OtpAlgorithm,
    digits: Number(crypto[2]),
    counter,
    question: { format: q[1] as OcraQuestionFormat, length },
  };
  // The optional parts may appear only once each and in the RFC's order: P, S, T.
  const pin = PIN.exec(fields[i] ?? '');
  if (pin) {
    parsed.pin = pin[1] as OtpAlgorithm;
    i++;
  }
  const session = SESSION.exec(fields[i] ?? '');
  if (session) {
    const bytes = Number(session[1]);
    if (bytes < 1 || bytes > 512) throw invalid(suite, 'session information length must be between 001 and 512');
    parsed.session = bytes;
    i++;
  }
  const time = TIME.exec(fields[i] ?? '');
  if (time) {
    const amount = Number(time[1]);
    const unit = time[2] as keyof typeof TIME_UNIT_SECONDS;
    if (amount < 1 || amount > TIME_UNIT_MAX[unit]) {
      throw invalid(suite, `time step must be 1-${TIME_UNIT_MAX[unit]}${unit}`);
    }
    parsed.timeStep = amount * TIME_UNIT_SECONDS[unit];
    i++;
  }
  if (i !== fields.length) throw invalid(suite, `unexpected data input field "${fields[i]}" (order is C, Q, P, S, T)`);
  return parsed;
}

/** Q: always 128 bytes, the question left-aligned and zero-filled (reference implementation). */
function questionBytes(format: OcraQuestionFormat, question: string): Uint8Array {
  let hex: string;
  if (format === 'N') {
    if (!/^[0-9]+$/.test(question)) throw new Error('an OCRA numeric question must contain only digits');
    // The decimal number itself, in hex, not its characters: "12345678" → BC614E.
    hex = BigInt(question).toString(16);
  } else if (format === 'H') {
    if (!/^[0-9A-Fa-f]+$/.test(question)) throw new Error('an OCRA hex question must contain only hex digits');
    hex = question;
  } else {
    if (!/^[\x21-\x7e]+$/.test(question)) throw new Error('an OCRA alphanumeric question must be printable ASCII without spaces');
    hex = bytesToHex(new TextEncoder().encode(question)); // printable ASCII: UTF-8 = Latin-1
  }
  // No upper bound on characters beyond this: mutual mode concatenates both parties' questions.
  if (hex.length > QUESTION_BYTES * 2) throw new Error(`an OCRA question must fit in ${QUESTION_BYTES} bytes`);
  return hexToBytes(hex.padEnd(QUESTION_BYTES * 2, '0'));
}

function pinBytes(algorithm: OtpAlgorithm, input: OcraInput): Uint8Array {
  if (input.pinHash === undefined) throw new Error('this OCRA suite needs a pin or pinHash');
  if (input.pinHash.length !== PIN_HASH_BYTES[algorithm]) {
    throw new Error(`an OCRA ${algorithm} pin hash must be ${PIN_HASH_BYTES[algorithm]} bytes`);
  }
  return input.pinHash;
}

function sessionBytes(length: number, session: Uint8Array | string | undefined): Uint8Array {
  if (session === undefined) throw new Error('this OCRA suite needs session information');
  const bytes = typeof session === 'string' ? new TextEncoder().encode(session) : session;
  if (bytes.length > length) throw new Error(`OCRA session information must be at most ${length} bytes`);
  // The reference implementation pads the session on the left, unlike the question.
  return concatBytes([new Uint8Array(length - bytes.length), bytes]);
}

function timeBytes(stepSeconds: number, nowMs: number | undefined): Uint8Array {
  if (nowMs === undefined || !Number.isFinite(nowMs) || nowMs < 0) {
    throw new Error('this OCRA suite needs nowMs, a non-negative time in milliseconds');
  }
  return counterBytes(timeStep(nowMs, stepSeconds));
}

/** The DataInput of RFC 6287 §5.1. Inputs the suite does not use are ignored. */
export function ocraDataInput(suite: string, input: OcraInput): Uint8Array {
  const parsed = parseOcraSuite(suite);
  // parseOcraSuite admits only ASCII, so UTF-8 here is the RFC's byte string.
  const parts: Uint8Array[] = [new TextEncoder().encode(suite), new Uint8Array(1)];
  if (parsed.counter) {
    if (input.counter === undefined) throw new Error('this OCRA suite needs a counter');
    parts.push(counterBytes(input.counter));
  }
  parts.push(questionBytes(parsed.question.format, input.question));
  if (parsed.pin) parts.push(pinBytes(parsed.pin, input));
  if (parsed.session !== undefined) parts.push(sessionBytes(parsed.session, input.session));
  if (parsed.timeStep !== undefined) parts.push(timeBytes(parsed.timeStep, input.nowMs));
  return concatBytes(parts);
}

/** The response from the HMAC of the DataInput: truncated digits, or the whole MAC in hex (digits 0). */
export function ocraResponse(suite: OcraSuite, mac: Uint8Array): string {
  return suite.digits === 0 ? bytesToHex(mac) : truncateToDigits(mac, suite.digits);
}

const CHALLENGE_ALPHABET: Record<OcraQuestionFormat, string> = {
  N: '0123456789',
  H: '0123456789ABCDEF',
  // Upper case and digits only: the user may have to type it into a token keypad.
  A: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
};

/** A fresh question of exactly the suite's length and format, e.g. 8 digits for QN08. */
export function generateOcraChallenge(suite: string, randomBytes: (n: number) => Uint8Array): string {
  const { format, length } = parseOcraSuite(suite).question;
  const alphabet = CHALLENGE_ALPHABET[format];
  // Rejection sampling: only bytes below the largest multiple of the alphabet size are used, so
  // every character is equally likely (a plain modulo would favour the first ones).
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    const bytes = randomBytes(length - out.length + 8);
    if (bytes.length === 0) throw new Error('the random source returned no bytes');
    for (const byte of bytes) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}
