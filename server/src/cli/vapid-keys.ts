import webpush from 'web-push';
import { usageError, type Out } from './common.js';

// `veriframe vapid-keys`: a new VAPID key pair for Web Push, printed as the environment lines to
// set. Nothing is stored: the operator keeps the pair with the rest of the configuration (a new
// pair later makes every app subscribe again, which it does by itself on its next start).
export function vapidKeysCommand(args: string[], io: Out): number {
  if (args.length > 0) throw usageError(`vapid-keys takes no arguments, got "${args.join(' ')}"`);
  const keys = webpush.generateVAPIDKeys();
  io.out('# Web Push: set these with the server configuration; put your own contact in the subject');
  io.out('# (a mailto: or https: URL; it may be left out when PUBLIC_URL is https).');
  io.out(`VERIFRAME_VAPID_PUBLIC_KEY=${keys.publicKey}`);
  io.out(`VERIFRAME_VAPID_PRIVATE_KEY=${keys.privateKey}`);
  io.out('VERIFRAME_VAPID_SUBJECT=mailto:you@example.com');
  return 0;
}
