// The Key URI Format lives in shared/ (the server writes these URIs, the authenticator app reads them).
export { otpauthUri, type OtpauthUriOptions } from '../../../shared/otp/otpauth.js';
