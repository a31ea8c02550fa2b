// `veriframe <command>`: parses the command line and hands over to one file per command.
import { isConfigError, loadConfig } from '../config.js';
import { isAppError } from '../errors.js';
import { adminCommand, adminUsage } from './admin.js';
import { adminKeyCommand } from './admin-key.js';
import { auditCommand } from './audit.js';
import { isUsageError, std, type Out } from './common.js';
import { importTokensCommand } from './import-tokens.js';
import { migrateCommand } from './migrate.js';
import { rotateKeyCommand } from './rotate-key.js';
import { rotateSigningKeyCommand } from './rotate-signing-key.js';
import { serveCommand } from './serve.js';
import { vapidKeysCommand } from './vapid-keys.js';

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
  rotate-key [--new-key-file FILE] [--batch-size N]
                                  re-encrypt every secret (and re-key the audit chain) under a
                                  new master key, online; the old key stays accepted until done
  audit verify                    check the event hash chain (read-only); exit code 1
                                  naming the first broken event if a row was edited or deleted
  vapid-keys                      print a new VAPID key pair for Web Push (VERIFRAME_VAPID_*)
  help                            show this text

Configuration comes from environment variables; see README.md.`;

/** Runs the CLI and returns the exit code. Errors the user can fix are one line, no stack. */
export async function main(argv: string[], io: Out = std, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serveCommand(rest, loadConfig(env), io);
      case 'migrate':
        return await migrateCommand(loadConfig(env), io);
      case 'admin':
        return await adminCommand(rest, loadConfig(env), io);
      case 'admin-key':
        return await adminKeyCommand(rest, loadConfig(env), io);
      case 'audit':
        return await auditCommand(rest, loadConfig(env), io);
      case 'import-tokens':
        return await importTokensCommand(rest, loadConfig(env), io);
      case 'rotate-signing-key':
        return await rotateSigningKeyCommand(rest, loadConfig(env), io);
      case 'rotate-key':
        return await rotateKeyCommand(rest, loadConfig(env), io);
      case 'vapid-keys':
        return vapidKeysCommand(rest, io);
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
