import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

// Defence in depth: code never passes secrets to the logger, and if a field with one of these
// names slips into a log object anyway it is censored rather than written.
const redactPaths = [
  'password',
  'pin',
  'otp',
  'code',
  'secret',
  'apiKey',
  'key',
  'token',
  'authorization',
  '*.password',
  '*.pin',
  '*.otp',
  '*.code',
  '*.secret',
  '*.apiKey',
  '*.key',
  '*.token',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'veriframe' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
