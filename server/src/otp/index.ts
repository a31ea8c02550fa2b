// Public surface of the OTP engine: pure functions, no I/O, time always passed in.
export { base32Decode, base32Encode } from './base32.js';
export { safeEqualCode } from './compare.js';
export { hotp, type HotpOptions, type OtpAlgorithm, type OtpDigits } from './hotp.js';
export {
  generateOcraChallenge,
  ocra,
  ocraDataInput,
  parseOcraSuite,
  type OcraInput,
  type OcraQuestionFormat,
  type OcraSuite,
} from './ocra.js';
export { splitPinAndOtp, type PinPosition, type SplitPinOptions } from './pin.js';
export {
  findHotpCounter,
  findSyncHotp,
  findSyncTotp,
  findTotpStep,
  timeStep,
  totp,
  type FindHotpOptions,
  type FindTotpOptions,
  type SyncHotpOptions,
  type SyncTotpOptions,
  type TotpOptions,
  type TotpPeriod,
  type TotpSync,
} from './totp.js';
export { otpauthUri, type OtpauthUriOptions } from './uri.js';
