/// <reference lib="webworker" />
// The service worker: makes the app work offline. Network first (so a new version is used as
// soon as it is online), the last good answer from the cache when offline. Only the app's own
// files are cached; /app/api/ is never cached (times and backups must be live).
// It imports nothing so that the build keeps it one file (hence its own few words below).
// With Web Push configured it also shows the notification of a sign-in request (push event) and
// opens or focuses the app at it (notificationclick).
export type {};
declare const self: ServiceWorkerGlobalScope;

const CACHE = 'veriframe-app-v1';
// The icons too: the page links the 192 px one (apple-touch-icon), installing reads both.
const SHELL = ['/app/', '/app/assets/app.js', '/app/manifest.webmanifest', '/app/icon.svg', '/app/icon-192.png', '/app/icon-512.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (!url.pathname.startsWith('/app/') || url.pathname.startsWith('/app/api/')) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const response = await fetch(event.request);
        if (response.ok) await cache.put(event.request, response.clone());
        return response;
      } catch (err) {
        const cached = (await cache.match(event.request)) ?? (event.request.mode === 'navigate' ? await cache.match('/app/') : undefined);
        if (cached) return cached;
        throw err;
      }
    })(),
  );
});

// The notification's words, in the app's six languages (the worker cannot import the app's
// catalogues). The payload names only the resource: the who and where are shown in the app.
const words: Record<string, { title: string; signIn: string; confirm: string }> = {
  en: {
    title: 'Sign-in request',
    signIn: 'Sign in to {resource}? Open the app to approve or deny.',
    confirm: 'Confirm for {resource}? Open the app to approve or deny.',
  },
  fr: {
    title: 'Demande de connexion',
    signIn: 'Se connecter à {resource} ? Ouvrez l’application pour approuver ou refuser.',
    confirm: 'Confirmer pour {resource} ? Ouvrez l’application pour approuver ou refuser.',
  },
  de: {
    title: 'Anmeldeanfrage',
    signIn: 'Bei {resource} anmelden? Öffnen Sie die App, um zu bestätigen oder abzulehnen.',
    confirm: 'Für {resource} bestätigen? Öffnen Sie die App, um zu bestätigen oder abzulehnen.',
  },
  es: {
    title: 'Solicitud de inicio de sesión',
    signIn: '¿Iniciar sesión en {resource}? Abre la aplicación para aprobar o rechazar.',
    confirm: '¿Confirmar para {resource}? Abre la aplicación para aprobar o rechazar.',
  },
  ru: {
    title: 'Запрос на вход',
    signIn: 'Войти в {resource}? Откройте приложение, чтобы подтвердить или отклонить.',
    confirm: 'Подтвердить для {resource}? Откройте приложение, чтобы подтвердить или отклонить.',
  },
  uk: {
    title: 'Запит на вхід',
    signIn: 'Увійти до {resource}? Відкрийте застосунок, щоб підтвердити або відхилити.',
    confirm: 'Підтвердити для {resource}? Відкрийте застосунок, щоб підтвердити або відхилити.',
  },
};

const wordsFor = () => {
  for (const tag of self.navigator.languages ?? [self.navigator.language]) {
    const found = words[tag.slice(0, 2).toLowerCase()];
    if (found) return found;
  }
  return words.en!;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The payload the server sends (shared/push.ts WebPushPayload), or null for anything else. */
function readPayload(data: PushMessageData | null): { challenge: string; resource: string; purpose: string } | null {
  try {
    const p = data?.json() as { v?: unknown; challenge?: unknown; resource?: unknown; purpose?: unknown } | undefined;
    if (p?.v !== 1 || typeof p.challenge !== 'string' || !UUID.test(p.challenge) || typeof p.resource !== 'string') return null;
    return { challenge: p.challenge, resource: p.resource.slice(0, 200), purpose: p.purpose === 'transaction' ? 'transaction' : 'login' };
  } catch {
    return null;
  }
}

self.addEventListener('push', (event) => {
  const p = readPayload(event.data);
  const w = wordsFor();
  // userVisibleOnly: every push shows a notification, even one that cannot be read.
  const body = p ? (p.purpose === 'transaction' ? w.confirm : w.signIn).replace('{resource}', p.resource) : w.signIn.replace('{resource}', '…');
  event.waitUntil(
    self.registration.showNotification(w.title, {
      body,
      icon: '/app/icon.svg',
      // One notification per request; a new request for the same token does not hide this one.
      tag: p ? `vf-push-${p.challenge}` : 'vf-push',
      requireInteraction: true,
      data: { challenge: p?.challenge ?? '' },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const challenge = String((event.notification.data as { challenge?: unknown } | null)?.challenge ?? '');
  const target = UUID.test(challenge) ? `/app/#challenge=${challenge}` : '/app/';
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((c) => new URL(c.url).pathname.startsWith('/app/'));
      if (open) {
        await open.focus();
        // The open app brings the request into view (push/inbox.ts).
        if (UUID.test(challenge)) open.postMessage({ type: 'vf-push-open', challenge });
        return;
      }
      await self.clients.openWindow(target);
    })(),
  );
});
