// The OTP maths both the server and the authenticator app run: everything except the HMAC and
// hash functions, which the caller supplies (node:crypto on the server, WebCrypto in browsers).
export { base32Decode, base32Encode } from './base32.js';
export * from './hotp.js';
export { generateOcraChallenge, ocraDataInput, ocraResponse, parseOcraSuite, type OcraInput, type OcraQuestionFormat, type OcraSuite } from './ocra.js';
export {
  isOtpauthError,
  otpauthUri,
  parseOtpauthUri,
  type OtpauthError,
  type OtpauthErrorCode,
  type OtpauthUriOptions,
  type ParsedOtpauth,
} from './otpauth.js';
