import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { adminCommand, adminUsage } from './cli/admin.js';
import { API_KEY_PREFIX, createKeyForCli, firstOrNewSuperuser, revokeApiKey } from './admins/keys-service.js';
import * as adminRepo from './admins/keys-repository.js';
import { isConfigError, loadConfig, type Config } from './config.js';
import { createMigrator, openDatabase, type Db } from './db/index.js';
import { loadMasterKey } from './crypto/master-key.js';
import { randomKey } from './crypto/random.js';
import { createKeyRing } from './crypto/secretbox.js';
import { isAppError } from './errors.js';
import { verifyChain } from './events/chain.js';
import { RETIRED_KEY_PUBLISHED_MS, rotateSigningKey } from './jwt/keys.js';
import { importQuery, importTokensCsv, type ImportProgress, type LineError } from './tokens/import.js';
import type { TokenContext } from './tokens/service.js';
import { createLogger, type Logger } from './logger.js';
import { closeServer, listen, startServer } from './main.js';

const usage = `Usage: veriframe <command>

Commands:
  serve [--demo]                  start the server (and the demo site with --demo)
  migrate                         apply pending database migrations
${adminUsage}
  admin-key create [--admin ID] [--name LABEL]
                                  create an API key (for the first superuser, created if none)
  admin-key list                  list API keys (prefixes only; keys are stored hashed)
  admin-key revoke ID|PREFIX      revoke an API key
  import-tokens FILE [--kind hardware|universal] [--type totp|hotp]
      [--algorithm SHA1|SHA256|SHA512] [--digits 6|8] [--period 30|60]
                                  import tokens from a CSV file "serialNumber,secret"
                                  (header line required; all lines or none)
  rotate-signing-key              make a new signing key for widget result JWTs; the previous
                                  one stays in the JWKS until the tokens it signed have expired
  audit verify                    check the event hash chain (read-only); exit code 1
                                  naming the first broken event if a row was edited or deleted
  help                            show this text

Configuration comes from environment variables; see README.md.`;

type Out = { out: (line: string) => void; err: (line: string) => void };
const std: Out = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };

/** Runs the CLI and returns the exit code. Errors the user can fix are one line, no stack. */
export async function main(argv: string[], io: Out = std, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest, loadConfig(env), io);
      case 'migrate':
        return await withDb(loadConfig(env), (db) => migrate(db, io));
      case 'admin':
        return await adminCommand(rest, loadConfig(env), io);
      case 'admin-key':
        return await adminKey(rest, loadConfig(env), io);
      case 'audit':
        return await audit(rest, loadConfig(env), io);
      case 'import-tokens':
        return await importTokens(rest, loadConfig(env), io);
      case 'rotate-signing-key':
        return await rotateSigningKeyCommand(rest, loadConfig(env), io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(usage);
        return 0;
      default:
        io.err(`veriframe: unknown command "${command}"\n\n${usage}`);
        return 2;
    }
  } catch (err) {
    if (isConfigError(err) || isAppError(err) || isUsageError(err)) {
      io.err(`veriframe: ${(err as Error).message}`);
      return isConfigError(err) ? 1 : 2;
    }
    io.err(`veriframe: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

const usageBrand = Symbol('usage');
const usageError = (message: string) => Object.assign(new Error(message), { [usageBrand]: true });
const isUsageError = (err: unknown) => err instanceof Error && usageBrand in err;

function parse<T extends Record<string, { type: 'string' | 'boolean' }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw usageError((err as Error).message);
  }
}

async function withDb(config: Config, fn: (db: Db) => Promise<number>): Promise<number> {
  const database = await openDatabase(config.database);
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

async function migrate(db: Db, io: Out): Promise<number> {
  const result = await createMigrator(db).migrateToLatest();
  for (const r of result.results ?? []) io.out(`${r.status === 'Success' ? 'applied' : r.status.toLowerCase()}: ${r.migrationName}`);
  if (result.error) {
    io.err(`veriframe: migration failed: ${result.error instanceof Error ? result.error.message : String(result.error)}`);
    return 1;
  }
  if (!result.results?.length) io.out('database is up to date; nothing to apply');
  return 0;
}

async function adminKey(args: string[], config: Config, io: Out): Promise<number> {
  const { values, positionals } = parse(args, { admin: { type: 'string' }, name: { type: 'string' } });
  const [sub, target] = positionals;
  return withDb(config, async (db) => {
    if (config.autoMigrate) await createMigrator(db).migrateToLatest();
    if (sub === 'create') {
      const key = await createKeyForCli(db, { adminId: values.admin, name: values.name ?? 'created with the CLI' });
      io.out(`API key for administrator ${key.adminId} (key id ${key.id}):`);
      io.out(key.apiKey);
      io.out('Store it now: it is shown once and only its hash is kept.');
      return 0;
    }
    if (sub === 'list') {
      const keys = await adminRepo.listKeys(db);
      if (!keys.length) io.out('no API keys yet; create one with: veriframe admin-key create');
      for (const k of keys) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
        const used = k.lastUsedAt ? k.lastUsedAt.toISOString() : 'never';
        io.out(`${k.id}  ${k.prefix}…  admin ${k.adminId}  ${state}  last used ${used}  "${k.name}"`);
      }
      return 0;
    }
    if (sub === 'revoke') {
      if (!target) throw usageError('admin-key revoke needs a key id or prefix (see admin-key list)');
      const id = await resolveKeyId(db, target);
      const key = await revokeApiKey(db, { keyId: id, actor: 'cli', now: new Date() });
      io.out(`revoked ${key.id} (${key.prefix}…)`);
      return 0;
    }
    throw usageError('admin-key needs one of: create, list, revoke');
  });
}

/**
 * `import-tokens FILE`: the same all-or-nothing import as POST /api/v1/tokens/import, done as the
 * first superuser. The key ring comes from the master key exactly as the server loads it, or the
 * server could not decrypt the secrets written here.
 */
async function importTokens(args: string[], config: Config, io: Out): Promise<number> {
  const importChoices = { kind: 'hardware or universal', type: 'totp or hotp', algorithm: 'SHA1, SHA256 or SHA512', digits: '6 or 8', period: '30 or 60' };
  const options = { kind: { type: 'string' }, type: { type: 'string' }, algorithm: { type: 'string' }, digits: { type: 'string' }, period: { type: 'string' } } as const;
  const { values, positionals } = parse(args, options);
  if (positionals.length !== 1) throw usageError('import-tokens needs exactly one CSV file: veriframe import-tokens FILE [options]');
  const file = positionals[0]!;
  const parsed = importQuery.safeParse({ ...values });
  if (!parsed.success) {
    const name = String(parsed.error.issues[0]?.path[0]) as keyof typeof importChoices;
    throw usageError(`--${name} must be ${importChoices[name]}, got "${values[name]}"`);
  }
  // Read before opening the database: a mistyped path should not wait for PGlite to start.
  const text = await fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a directory' : err.code === 'EACCES' ? 'permission denied' : err.message;
    throw usageError(`cannot read ${file}: ${why}`);
  });
  const masterKey = await loadMasterKey({
    configured: config.masterKey,
    dataDir: config.database.kind === 'pglite-file' ? config.dataDir : undefined,
    log: (msg) => io.err(`veriframe: ${msg}`),
  });

  // A terminal gets one bar redrawn in place; a log (CI, pipes) gets a line per quarter instead
  // of thousands of carriage returns.
  const tty = io === std && process.stderr.isTTY === true;
  let drawn = false;
  let quarter = -1;
  const bar = (done: number, total: number) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    return `importing [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
  };
  const progress: ImportProgress = (phase, done, total) => {
    const imported = phase === 'validated' ? 0 : done;
    if (tty) {
      process.stderr.write(`\r${bar(imported, total)}`);
      drawn = true;
    } else if (Math.floor((imported * 4) / total) > quarter) {
      quarter = Math.floor((imported * 4) / total);
      io.err(bar(imported, total));
    }
  };

  return withDb(config, async (db) => {
    if (config.autoMigrate) await createMigrator(db).migrateToLatest();
    const admin = await firstOrNewSuperuser(db, 'superuser', 'cli');
    const ctx: TokenContext = {
      db,
      keyRing: createKeyRing(masterKey),
      now: new Date(),
      principal: { adminId: admin.id, role: 'superuser', keyId: 'cli', resourceIds: [] },
      ip: null,
      issuer: 'Veriframe',
      ...(config.tokenQuota !== undefined ? { quota: config.tokenQuota } : {}),
    };
    try {
      const { imported } = await importTokensCsv(ctx, text, { ...parsed.data, headerRequired: true }, progress);
      if (drawn) process.stderr.write('\n');
      io.out(`imported ${imported} tokens`);
      return 0;
    } catch (err) {
      if (drawn) process.stderr.write('\n');
      if (!isAppError(err) || err.code !== 'import_invalid') throw err;
      const { lines, total } = err.details as { lines: LineError[]; total: number };
      const shown = lines.slice(0, 50);
      for (const l of shown) io.err(`line ${l.line}: ${l.reason}`);
      if (total > shown.length) io.err(`… and ${total - shown.length} more`);
      io.err(`veriframe: ${total} invalid line(s) in ${file}; nothing was imported`);
      return 2;
    }
  });
}

/**
 * `rotate-signing-key`: the new key signs from now on; running instances pick it up within
 * seconds. It needs the master key exactly as the server loads it, or the server could not
 * decrypt the key written here.
 */
async function rotateSigningKeyCommand(args: string[], config: Config, io: Out): Promise<number> {
  const { positionals } = parse(args, {});
  if (positionals.length) throw usageError('rotate-signing-key takes no arguments');
  const masterKey = await loadMasterKey({
    configured: config.masterKey,
    dataDir: config.database.kind === 'pglite-file' ? config.dataDir : undefined,
    log: (msg) => io.err(`veriframe: ${msg}`),
  });
  return withDb(config, async (db) => {
    if (config.autoMigrate) await createMigrator(db).migrateToLatest();
    const { kid, retired } = await rotateSigningKey(db, createKeyRing(masterKey), new Date());
    if (retired.length) io.err(`retired ${retired.join(', ')} (kept in the JWKS for ${RETIRED_KEY_PUBLISHED_MS / 60_000} more minutes)`);
    io.out(kid);
    return 0;
  });
}

/**
 * `audit verify`: recomputes the event chain and compares it with the stored hashes. It writes
 * nothing (no migration, no sealing), so it checks exactly what was sealed; events newer than
 * the sealer's last pass are counted, not verified.
 */
async function audit(args: string[], config: Config, io: Out): Promise<number> {
  const { positionals } = parse(args, {});
  if (positionals.length !== 1 || positionals[0] !== 'verify') throw usageError('audit needs one subcommand: verify');
  return withDb(config, async (db) => {
    const started = Date.now();
    let shown = 0;
    const result = await verifyChain(db, {
      // Only large chains get progress lines (on stderr), about one per tenth of the ids.
      onProgress: ({ checked, throughId, lastSealedId }) => {
        const tenth = Math.floor((Number(throughId) / Number(lastSealedId)) * 10);
        if (Number(lastSealedId) < 50_000 || tenth <= shown) return;
        shown = tenth;
        io.err(`verifying: ${checked} events, through event ${throughId} of ${lastSealedId} (${Math.round((Date.now() - started) / 1000)} s)`);
      },
    });
    if (!result.ok) {
      io.out(`audit chain BROKEN at event ${result.brokenAt}: ${result.message}`);
      return 1;
    }
    io.out(`audit chain intact: ${result.checked} events verified (${result.unsealed} not yet sealed)`);
    // Written down elsewhere, the head hash lets a later run prove the end was not cut off.
    if (result.checked) io.out(`chain head: event ${result.lastSealedId}, sha256 ${result.headHash}`);
    return 0;
  });
}

async function resolveKeyId(db: Db, target: string): Promise<string> {
  if (/^[0-9a-f-]{36}$/i.test(target)) return target;
  const matches = await adminRepo.findKeysByPrefix(db, target.replace(/…$/, ''));
  if (matches.length === 1) return matches[0]!.id;
  throw usageError(matches.length ? `prefix ${target} matches ${matches.length} keys; use the key id` : `no API key with id or prefix ${target}`);
}

/**
 * With `--demo` a newcomer gets a superuser key printed at start: on the embedded database it is
 * kept in the data directory (mode 0600) so it stays the same across restarts; on an in-memory
 * database it lives as long as the data. The demo seeds its shop with it through the admin API.
 * Production setups use VERIFRAME_ADMIN_KEY or `admin-key create` instead.
 */
async function demoAdminKey(config: Config): Promise<{ key: string; where: string }> {
  if (config.database.kind === 'pglite-memory') return { key: randomKey(API_KEY_PREFIX), where: 'in memory, like the database' };
  if (config.database.kind === 'postgres') {
    throw new Error('serve --demo on PostgreSQL needs VERIFRAME_ADMIN_KEY: the demo seeds its shop through the admin API with that key');
  }
  const file = path.join(config.dataDir, 'demo-admin.key');
  const existing = await fs.readFile(file, 'utf8').catch(() => '');
  if (existing.trim()) return { key: existing.trim(), where: `kept in ${file}` };
  await fs.mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const key = randomKey(API_KEY_PREFIX);
  await fs.writeFile(file, key + '\n', { mode: 0o600 });
  return { key, where: `kept in ${file}` };
}

const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host);

/**
 * Seeds the demo shop (idempotent) through the running server's admin API, then serves the demo
 * site. Seeding fails as one line naming the call that failed.
 */
async function startDemo(config: Config, serverUrl: string, database: { db: Db }) {
  const { seedDemo } = await import('../../demo/seed.js');
  const { createDemoApp } = await import('../../demo/app.js');
  const { stateFileIn } = await import('../../demo/state.js');
  const { loginTable } = await import('../../demo/users.js');
  const demoUrl = `http://${urlHost(config.host)}:${config.demoPort}`;
  // Typing "localhost" instead of the printed 127.0.0.1 is a different origin; both may embed.
  const origins = urlHost(config.host) === '127.0.0.1' ? [demoUrl, `http://localhost:${config.demoPort}`] : [demoUrl];
  const data = await seedDemo({
    apiUrl: serverUrl,
    adminKey: config.adminKey!,
    demoOrigins: origins,
    ...(config.database.kind === 'pglite-memory' ? {} : { stateFile: stateFileIn(config.dataDir) }),
  }).catch((err: Error) => {
    throw new Error(`seeding the demo failed: ${err.message}`);
  });
  const outbox = !config.production && !config.smtpUrl ? { outboxUrl: `${config.publicUrl}/dev/outbox` } : {};
  const app = createDemoApp({ veriframeUrl: config.publicUrl, apiUrl: serverUrl, adminKey: config.adminKey!, data, ...outbox });
  const { ensureDemoConsoleAdmin } = await import('../../demo/console-admin.js');
  const consoleAdmin = await ensureDemoConsoleAdmin(database.db, serverUrl, config.database.kind === 'pglite-memory' ? undefined : config.dataDir);
  return { server: await listen(app, config.demoPort, config.host), url: demoUrl, created: data.created, logins: loginTable(), consoleAdmin };
}

async function serve(args: string[], baseConfig: Config, io: Out): Promise<number> {
  const { values } = parse(args, { demo: { type: 'boolean' } });
  const demoKey = values.demo && !baseConfig.adminKey ? await demoAdminKey(baseConfig) : undefined;
  const config = demoKey ? { ...baseConfig, adminKey: demoKey.key } : baseConfig;
  const log = createLogger(config.logLevel);
  const server = await startServer(config, log);
  let demo: Awaited<ReturnType<typeof startDemo>> | undefined;
  if (values.demo) {
    demo = await startDemo(config, server.url, server.database).catch(async (err) => {
      await server.close();
      throw err;
    });
  }
  // Listening for the signals before the banner: whoever reads "Stop with Ctrl+C" may stop us at once.
  const stopped = waitForSignal(log);
  io.out('');
  io.out(`  Veriframe ${config.publicUrl}  (health: ${server.url}/healthz, API: ${server.url}/api/v1/openapi.json)`);
  if (demo) io.out(`  Demo site ${demo.url}  <- open this in a browser`);
  io.out(`  Database  ${describeDatabase(config)}`);
  if (demoKey) io.out(`  Admin key ${config.adminKey}  (demo only; ${demoKey.where})`);
  else if (!config.adminKey) io.out('  Admin API key: stop the server and run `npx veriframe admin-key create`, or set VERIFRAME_ADMIN_KEY');
  if (demo) {
    const { resources, users, tokens } = demo.created;
    io.out(`  Demo data ${resources + users + tokens ? `created now through the admin API: ${resources} resource, ${users} users, ${tokens} tokens` : 'in place from an earlier start (nothing created)'}`);
    io.out('');
    io.out('  Demo logins (the demo site has a page for each, saying what to type):');
    for (const line of demo.logins) io.out(`    ${line}`);
    io.out('');
    const a = demo.consoleAdmin;
    io.out(`  Admin console ${config.publicUrl}/console/  login ${a.login}  password ${a.password}`);
    io.out(`    then the code of an authenticator app with the secret ${a.secret}`);
    io.out(`    (or: node -e "import('otpauth').then(o=>console.log(new o.TOTP({secret:'${a.secret}'}).generate()))")`);
    io.out('');
  }
  io.out('  Stop with Ctrl+C.');
  io.out('');
  await stopped;
  if (demo) await closeServer(demo.server, 5_000);
  await server.close();
  log.info('stopped');
  return 0;
}

function describeDatabase(config: Config): string {
  if (config.database.kind === 'postgres') return `PostgreSQL ${new URL(config.database.url).host}`;
  if (config.database.kind === 'pglite-memory') return 'embedded PGlite in memory (data is lost on exit)';
  return `embedded PGlite in ${config.database.dataDir}`;
}

function waitForSignal(log: Logger): Promise<void> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      log.info({ signal }, 'shutting down: finishing in-flight requests');
      process.off('SIGTERM', stop).off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop).on('SIGINT', stop);
  });
}
