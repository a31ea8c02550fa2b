import fs from 'node:fs/promises';
import path from 'node:path';
import { API_KEY_PREFIX } from '../admins/keys-service.js';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import { randomKey } from '../crypto/random.js';
import { createLogger, type Logger } from '../logger.js';
import { closeServer, listen, startServer } from '../main.js';
import { parse, type Out } from './common.js';

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
  const { seedDemo } = await import('../../../demo/seed.js');
  const { createDemoApp } = await import('../../../demo/app.js');
  const { stateFileIn } = await import('../../../demo/state.js');
  const { loginTable } = await import('../../../demo/users.js');
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
  const outbox = config.devOutbox && !config.smtpUrl ? { outboxUrl: `${config.publicUrl}/dev/outbox` } : {};
  const app = createDemoApp({ veriframeUrl: config.publicUrl, apiUrl: serverUrl, adminKey: config.adminKey!, data, ...outbox });
  const { ensureDemoConsoleAdmin } = await import('../../../demo/console-admin.js');
  const consoleAdmin = await ensureDemoConsoleAdmin(database.db, serverUrl, config.database.kind === 'pglite-memory' ? undefined : config.dataDir);
  return { server: await listen(app, config.demoPort, config.host), url: demoUrl, created: data.created, logins: loginTable(), consoleAdmin };
}

export async function serveCommand(args: string[], baseConfig: Config, io: Out): Promise<number> {
  const { values } = parse(args, { demo: { type: 'boolean' } });
  const demoKey = values.demo && !baseConfig.adminKey ? await demoAdminKey(baseConfig) : undefined;
  // The demo's codes are read at /dev/outbox (VERIFRAME_DEV_OUTBOX=1), never in production mode.
  const devOutbox = baseConfig.devOutbox || (values.demo === true && !baseConfig.production);
  const config = { ...baseConfig, devOutbox, ...(demoKey ? { adminKey: demoKey.key } : {}) };
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
    io.out(
      `  Demo data ${resources + users + tokens ? `created now through the admin API: ${resources} resource, ${users} users, ${tokens} tokens` : 'in place from an earlier start (nothing created)'}`,
    );
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
