/// <reference types="vite/client" />
// Entry of the authenticator app (dist/app/app.js): the service worker for offline use, the
// optional push module (app/src/push/, wired in only when its files exist), then the app.
import { registerHomeSlot, registerSettingsSlot, registerUriHandler, type UriHandler } from './extensions.js';
import './vf-authenticator.js';

type PushEnroll = { enrollPush?: UriHandler };
// Eager: when app/src/push/ exists its modules are part of the bundle; when not, this is empty.
const push = import.meta.glob<PushEnroll>(['./push/enroll.ts', './push/inbox.ts', './push/settings.ts'], { eager: true });
const enroll = push['./push/enroll.ts']?.enrollPush;
if (enroll) registerUriHandler('vfpush:', enroll);
if (push['./push/inbox.ts']) registerHomeSlot('vf-push-inbox');
if (push['./push/settings.ts']) registerSettingsSlot('vf-push-settings');

if ('serviceWorker' in navigator) {
  // The scope is /app/ (the worker's own folder); failures only cost offline use.
  navigator.serviceWorker.register('/app/sw.js', { scope: '/app/', type: 'module' }).catch(() => undefined);
  // Fetch the QR decoder's chunk once the worker runs, so that it is cached for scanning offline.
  void navigator.serviceWorker.ready
    .then(() => import('./qr.js'))
    .then(
      (qr) => qr.preload(),
      () => undefined,
    );
}
