// The demo's console administrator (DESIGN §11): created once with `admin create`'s function and
// enrolled over HTTP through the enrolment API, as a person would on the link's page, so the
// demo console can be tried at once. Its TOTP secret is kept in .veriframe/demo-console.json
// (mode 0600) to print at every start; without it (memory database, or the file lost) access
// is reset and enrolled again.
import fs from 'node:fs/promises';
import path from 'node:path';
import { createConsoleAdmin, resetAccess } from '../server/src/console/enrolment.js';
import type { Db } from '../server/src/db/index.js';
import { findUserByLogin } from '../server/src/users/repository.js';
import { base32Decode, totp } from '../server/src/otp/index.js';

export const DEMO_CONSOLE_LOGIN = 'console-admin';
export const DEMO_CONSOLE_PASSWORD = 'console-demo-password';

export interface DemoConsoleAdmin {
  login: string;
  password: string;
  secret: string;
}

async function post(url: string, body: unknown) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : ((await res.json()) as { secret: string });
}

export async function ensureDemoConsoleAdmin(db: Db, serverUrl: string, dataDir: string | undefined): Promise<DemoConsoleAdmin> {
  const file = dataDir ? path.join(dataDir, 'demo-console.json') : undefined;
  const kept = file
    ? await fs.readFile(file, 'utf8').then(
        (t) => JSON.parse(t) as DemoConsoleAdmin,
        () => undefined,
      )
    : undefined;
  const exists = await findUserByLogin(db, DEMO_CONSOLE_LOGIN);
  if (kept && exists) return kept;
  const now = new Date();
  const { code } = exists
    ? await resetAccess(db, { login: DEMO_CONSOLE_LOGIN, now, actor: 'demo' })
    : await createConsoleAdmin(db, { login: DEMO_CONSOLE_LOGIN, role: 'superuser', resourceIds: [], now, actor: 'demo' });
  const { secret } = (await post(`${serverUrl}/console/api/enrol/start`, { code }))!;
  const otp = totp(base32Decode(secret), Date.now(), { algorithm: 'SHA1', digits: 6, period: 30 });
  await post(`${serverUrl}/console/api/enrol/finish`, { code, password: DEMO_CONSOLE_PASSWORD, otp });
  const admin = { login: DEMO_CONSOLE_LOGIN, password: DEMO_CONSOLE_PASSWORD, secret };
  if (file) await fs.writeFile(file, JSON.stringify(admin) + '\n', { mode: 0o600 });
  return admin;
}
