// `veriframe admin create --login L [--superuser | --resource ID…]` and
// `veriframe admin reset-access --login L` (DESIGN §11): administrators with a console login,
// each answered with a one-time enrolment link (24 h) the administrator opens to set a password
// and enrol an authenticator. The link is printed once; only its hash is stored.
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import type { Out } from './common.js';
import { createConsoleAdmin, enrolmentLink, resetAccess, ENROLMENT_TTL_MS } from '../console/enrolment.js';
import { createMigrator, openDatabase } from '../db/index.js';
import { appError } from '../errors.js';

export const adminUsage = `  admin create --login L [--superuser | --resource ID ...]
                                  an administrator who signs in to the console as L; prints a
                                  one-time enrolment link (24 h): set a password, enrol an app
  admin reset-access --login L    remove L's console password and authenticator, end its
                                  sessions and print a new enrolment link`;

const usage = (message: string) => appError('invalid_request', { message: `${message}\n\n${adminUsage}` });

export async function adminCommand(args: string[], config: Config, io: Out): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { login: { type: 'string' }, superuser: { type: 'boolean' }, resource: { type: 'string', multiple: true } },
    });
  } catch (err) {
    throw usage((err as Error).message);
  }
  const { values, positionals } = parsed;
  const [sub] = positionals;
  if (sub !== 'create' && sub !== 'reset-access') throw usage(`unknown admin command "${sub ?? ''}"`);
  if (!values.login) throw usage(`admin ${sub} needs --login`);
  const resources = values.resource ?? [];
  if (sub === 'create' && Boolean(values.superuser) === resources.length > 0)
    throw usage('admin create needs either --superuser or at least one --resource ID');
  const database = await openDatabase(config.database);
  try {
    const db = database.db;
    if (config.autoMigrate) await createMigrator(db).migrateToLatest();
    const now = new Date();
    const done =
      sub === 'create'
        ? await createConsoleAdmin(db, { login: values.login, role: values.superuser ? 'superuser' : 'admin', resourceIds: resources, now, actor: 'cli' })
        : await resetAccess(db, { login: values.login, now, actor: 'cli' });
    io.out(
      sub === 'create'
        ? `administrator ${done.adminId} created; console login "${values.login}"`
        : `console access of "${values.login}" reset; its sessions are ended`,
    );
    io.out(`Enrolment link (one use, valid ${ENROLMENT_TTL_MS / 3600_000} h): open it to set a password and enrol an authenticator app:`);
    io.out(enrolmentLink(config.publicUrl, done.code));
    return 0;
  } finally {
    await database.close();
  }
}
