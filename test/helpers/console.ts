// Console administrators for tests: created and enrolled as `veriframe admin create` and the
// enrolment page do it, and signed in with a result JWT signed as the widget signs it.
import { createConsoleAdmin, finishEnrolment, startEnrolment } from '../../server/src/console/enrolment.js';
import { ensureConsoleResource } from '../../server/src/console/resource.js';
import { signResultToken } from '../../server/src/jwt/result.js';
import { base32Decode, totp } from '../../server/src/otp/index.js';
import type { TestApp } from './app.js';
import type { TestDb } from './db.js';

export const CONSOLE_URL = 'http://console.test';
export const consoleEnv = { PUBLIC_URL: CONSOLE_URL };

export interface ConsoleAdmin {
  adminId: string;
  userId: string;
  login: string;
  secret: string;
  password: string;
}

export const codeFor = (secretBase32: string, at: Date) => totp(base32Decode(secretBase32), at.getTime(), { algorithm: 'SHA1', digits: 6, period: 30 });

export async function enrolledAdmin(
  t: TestDb,
  api: TestApp,
  opts: { login: string; role?: 'superuser' | 'admin'; resourceIds?: string[]; now: Date },
): Promise<ConsoleAdmin> {
  const created = await createConsoleAdmin(t.db, {
    login: opts.login,
    role: opts.role ?? 'superuser',
    resourceIds: opts.resourceIds ?? [],
    now: opts.now,
    actor: 'test',
  });
  const started = await startEnrolment(t.db, api.keyRing, created.code, opts.now);
  const password = `${opts.login}-console-password`;
  await finishEnrolment(t.db, api.keyRing, { code: created.code, password, otp: codeFor(started.secret, opts.now), now: opts.now });
  return { adminId: created.adminId, userId: created.userId, login: opts.login, secret: started.secret, password };
}

/** A result token as the widget would sign it after the admin signed in to the console resource. */
export async function consoleResult(t: TestDb, api: TestApp, a: Pick<ConsoleAdmin, 'userId' | 'login'>, nonce: string, now: Date, resourceId?: string) {
  const aud = resourceId ?? (await ensureConsoleResource(t.db, CONSOLE_URL));
  return signResultToken(t.db, api.keyRing, {
    issuer: CONSOLE_URL,
    resourceId: aud,
    userId: a.userId,
    login: a.login,
    origin: CONSOLE_URL,
    nonce,
    amr: ['pwd', 'otp'],
    authTime: now,
    now,
  });
}

export interface ConsoleSession {
  cookie: string;
  csrf: string;
  setCookie: string;
}

/** GET the nonce, POST the token: the console sign-in page's two calls. */
export async function signIn(t: TestDb, api: TestApp, a: Pick<ConsoleAdmin, 'userId' | 'login'>, now: Date): Promise<ConsoleSession> {
  const info = (await (await api.request('/console/api/sign-in', { key: null })).json()) as { nonce: string };
  const token = await consoleResult(t, api, a, info.nonce, now);
  const res = await api.request('/console/api/session', { method: 'POST', key: null, json: { token, nonce: info.nonce }, headers: { origin: CONSOLE_URL } });
  if (res.status !== 201) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = /vf_console=([^;]+)/.exec(setCookie)![1]!;
  const { csrf } = (await res.json()) as { csrf: string };
  return { cookie, csrf, setCookie };
}

/** An /api/v1 call with the session cookie, and the CSRF header unless `csrf` is null. */
export function withSession(api: TestApp, s: Pick<ConsoleSession, 'cookie' | 'csrf'>, csrf: string | null = s.csrf) {
  return (method: string, path: string, json?: unknown) =>
    api.request(path, {
      method,
      key: null,
      ...(json !== undefined ? { json } : {}),
      headers: { cookie: `vf_console=${s.cookie}`, ...(csrf !== null ? { 'x-veriframe-csrf': csrf } : {}) },
    });
}
