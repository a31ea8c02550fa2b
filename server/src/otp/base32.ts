// The server's view of the shared base32 codec: the same decoding, returned as a Buffer because
// server code hashes, seals and compares secrets with Buffer methods.
import { base32Decode as decode, base32Encode } from '../../../shared/otp/base32.js';

export { base32Encode };

export function base32Decode(text: string): Buffer {
  const bytes = decode(text);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
