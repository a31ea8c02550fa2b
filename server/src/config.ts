import { createECDH } from 'node:crypto';
import path from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { normaliseCidr } from './net/ip.js';

// Configuration is read once, at start, from the environment. Every problem is reported as one
// line naming the variable and what was expected, so an operator can fix it without reading code.

export type DatabaseTarget = { kind: 'pglite-file'; dataDir: string } | { kind: 'pglite-memory' } | { kind: 'postgres'; url: string };

export interface Config {
  port: number;
  host: string;
  demoPort: number;
  publicUrl: string;
  database: DatabaseTarget;
  dataDir: string;
  masterKey: Buffer | undefined;
  /** Old master keys, accepted for decryption (and the audit chain) while `rotate-key` runs. */
  previousMasterKeys: Buffer[];
  adminKey: string | undefined;
  /** Most tokens that may exist; undefined = unlimited. */
  tokenQuota: number | undefined;
  autoMigrate: boolean;
  /** Resources kept until a change notification (auth/resource-cache.ts); off where LISTEN/NOTIFY does not pass. */
  resourceCache: boolean;
  /** After this long unanswered, a statement of the server is checked for a lost connection (ms; db/guard.ts). */
  dbQueryTimeoutMs: number;
  trustedProxies: [ipaddr.IPv4 | ipaddr.IPv6, number][];
  smtpUrl: string | undefined;
  smsWebhookUrl: string | undefined;
  botWebhookUrl: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  production: boolean;
  /** The dev outbox (/dev/outbox) exists only when set; `serve --demo` sets it. */
  devOutbox: boolean;
  /** Bearer token of GET /metrics; unset = no /metrics (404). */
  metricsToken?: string | undefined;
  /** VAPID keys of Web Push (RFC 8292); unset = the app hears of challenges by server-sent events only. */
  webPush?: WebPushConfig | undefined;
}

export interface WebPushConfig {
  /** Uncompressed P-256 point, base64url (65 bytes): what the app's pushManager.subscribe is given. */
  publicKey: string;
  /** The private scalar, base64url (32 bytes). */
  privateKey: string;
  /** Who runs the server, for the push services: a mailto: or https: URL. */
  subject: string;
  /** Push service hosts subscriptions may name (`*.` = any subdomain); see PUSH_SERVICE_HOSTS. */
  hosts: string[];
}

/**
 * The push services of the browsers people use (Chrome and Edge's FCM, Firefox's autopush,
 * Safari's, Windows'): the only hosts a subscription may name unless VERIFRAME_WEB_PUSH_HOSTS says
 * otherwise. A device sets its endpoint itself, and the server POSTs to it: without a list, anyone
 * who can enrol a push token could make the server call hosts on its own network.
 */
export const PUSH_SERVICE_HOSTS = ['fcm.googleapis.com', '*.push.services.mozilla.com', '*.push.apple.com', '*.notify.windows.com'];

export type ConfigError = Error & { configError: true };

function configError(message: string): ConfigError {
  return Object.assign(new Error(message), { configError: true as const });
}

export function isConfigError(err: unknown): err is ConfigError {
  return err instanceof Error && (err as Partial<ConfigError>).configError === true;
}

// A setting is a zod schema over the raw string; `expected` is the phrase of the error line.
function setting<T>(expected: string, parse: (raw: string) => T | undefined) {
  return z.string().transform((raw, ctx) => {
    const value = parse(raw);
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: expected });
      return z.NEVER;
    }
    return value;
  });
}

const isUrl = (protocol: RegExp) => (raw: string) => z.url({ protocol }).safeParse(raw).success;

const port = setting('a port number 1-65535', (raw) => {
  const n = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  return n >= 1 && n <= 65535 ? n : undefined;
});

const origin = setting('an http(s) origin without path, e.g. https://mfa.example.com', (raw) => {
  if (!isUrl(/^https?$/)(raw)) return undefined;
  const url = new URL(raw);
  return url.pathname === '/' && !url.search && !url.hash ? url.origin : undefined;
});

const webhookUrl = setting('an http(s) URL', (raw) => (isUrl(/^https?$/)(raw) ? raw : undefined));
const smtpUrl = setting('a URL like smtp://user:pass@host:587', (raw) => (isUrl(/^smtps?$/)(raw) ? raw : undefined));

const bool = setting('true or false', (raw) => (/^(1|true|yes|on)$/i.test(raw) ? true : /^(0|false|no|off)$/i.test(raw) ? false : undefined));

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const logLevel = setting(`one of ${logLevels.join(', ')}`, (raw) => ((logLevels as readonly string[]).includes(raw) ? (raw as Config['logLevel']) : undefined));

const host = setting('a host name or IP address', (raw) => (/^[A-Za-z0-9.:[\]-]+$/.test(raw) ? raw : undefined));

const decodeKey = (raw: string): Buffer | undefined => {
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64') : Buffer.alloc(0);
  return key.length === 32 ? key : undefined;
};

const masterKey = setting('32 random bytes in base64 (e.g. openssl rand -base64 32)', decodeKey);

const masterKeyList = setting('a comma-separated list of 32-byte keys in base64', (raw) => {
  const keys = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(decodeKey);
  return keys.every((k) => k !== undefined) ? (keys as Buffer[]) : undefined;
});

// Long enough that it cannot be guessed; the same alphabet our generated keys use.
const adminKey = setting('at least 32 characters of A-Z a-z 0-9 _ -', (raw) => (/^[A-Za-z0-9_-]{32,256}$/.test(raw) ? raw : undefined));

// Sent by the Prometheus scraper; long enough not to be guessed, printable without spaces.
const metricsToken = setting('at least 16 printable characters without spaces', (raw) => (/^[\x21-\x7e]{16,256}$/.test(raw) ? raw : undefined));

// Web Push VAPID keys as `web-push generate-vapid-keys` (or `veriframe vapid-keys`) prints them.
const b64urlBytes = (length: number, first?: number) => (raw: string) => {
  const bytes = /^[A-Za-z0-9_-]+$/.test(raw) ? Buffer.from(raw, 'base64url') : Buffer.alloc(0);
  return bytes.length === length && (first === undefined || bytes[0] === first) ? raw : undefined;
};
const vapidPublicKey = setting('an uncompressed P-256 public key, base64url (65 bytes; veriframe vapid-keys makes a pair)', b64urlBytes(65, 4));
const vapidPrivateKey = setting('a P-256 private key, base64url (32 bytes; veriframe vapid-keys makes a pair)', b64urlBytes(32));
const pushHosts = setting('a comma-separated list of host names, each optionally starting with *. (e.g. fcm.googleapis.com,*.push.apple.com)', (raw) => {
  const hosts = raw
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  return hosts.length > 0 && hosts.every((h) => /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(h)) ? hosts : undefined;
});
const vapidSubject = setting('a mailto: or https: URL, e.g. mailto:ops@example.com', (raw) =>
  /^mailto:[^\s@]+@[^\s@]+$/.test(raw) || isUrl(/^https$/)(raw) ? raw : undefined,
);

const quota = setting('a whole number of tokens, 1 or more', (raw) => (/^\d{1,9}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : undefined));

const seconds = setting('a whole number of seconds, 1-3600', (raw) =>
  /^\d{1,4}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 3600 ? Number(raw) : undefined,
);

const cidrList = setting('a comma-separated list of IP addresses or CIDRs (dotted-quad IPv4 or IPv6)', (raw) => {
  const out: Config['trustedProxies'] = [];
  for (const part of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    // Strict: "012.0.0.1" or "127.1" mean different addresses to different parsers.
    const cidr = normaliseCidr(part);
    if (!cidr) return undefined;
    out.push(ipaddr.parseCIDR(cidr));
  }
  return out;
});

// A Unix socket is an empty host and the socket's directory as `host` (node-postgres reads it):
// postgres:///db?host=/var/run/postgresql. "postgres://user@/db" is no URL and is refused here.
const databaseUrl = setting(
  'postgres://user:pass@host:5432/db (a Unix socket: postgres:///db?host=/var/run/postgresql&user=…) or pglite://memory',
  (raw): DatabaseTarget | undefined => {
    if (raw === 'pglite://memory') return { kind: 'pglite-memory' };
    return /^postgres(ql)?:\/\/.+/.test(raw) && URL.canParse(raw) ? { kind: 'postgres', url: raw } : undefined;
  },
);

const envSchema = z.object({
  PORT: port.default(8787),
  HOST: host.default('127.0.0.1'),
  DEMO_PORT: port.default(8788),
  PUBLIC_URL: origin.optional(),
  DATABASE_URL: databaseUrl.optional(),
  VERIFRAME_DATA_DIR: z.string().default('.veriframe'),
  VERIFRAME_MASTER_KEY: masterKey.optional(),
  VERIFRAME_PREVIOUS_MASTER_KEYS: masterKeyList.default([]),
  VERIFRAME_DEV_OUTBOX: bool.default(false),
  VERIFRAME_ADMIN_KEY: adminKey.optional(),
  VERIFRAME_AUTO_MIGRATE: bool.default(true),
  VERIFRAME_RESOURCE_CACHE: bool.default(true),
  VERIFRAME_TOKEN_QUOTA: quota.optional(),
  VERIFRAME_METRICS_TOKEN: metricsToken.optional(),
  VERIFRAME_DB_QUERY_TIMEOUT: seconds.default(10),
  VERIFRAME_VAPID_PUBLIC_KEY: vapidPublicKey.optional(),
  VERIFRAME_VAPID_PRIVATE_KEY: vapidPrivateKey.optional(),
  VERIFRAME_VAPID_SUBJECT: vapidSubject.optional(),
  VERIFRAME_WEB_PUSH_HOSTS: pushHosts.optional(),
  TRUSTED_PROXIES: cidrList.default([]),
  SMTP_URL: smtpUrl.optional(),
  SMS_WEBHOOK_URL: webhookUrl.optional(),
  BOT_WEBHOOK_URL: webhookUrl.optional(),
  LOG_LEVEL: logLevel.default('info'),
  NODE_ENV: z.string().optional(),
});

const secretLooking = /KEY|URL|METRICS_TOKEN/;

/** Parses and validates the environment. Throws a ConfigError with a one-line message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  for (const name of Object.keys(env)) {
    if (name.startsWith('VERIFRAME_') && !(name in envSchema.shape)) {
      const names = Object.keys(envSchema.shape).filter((n) => n.startsWith('VERIFRAME_'));
      throw configError(`${name} is not a Veriframe setting (known: ${names.join(', ')})`);
    }
  }
  // An empty variable means "not set", as in most shells' `FOO= cmd`.
  const raw = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    // Keys and URLs (which may hold passwords) are never echoed back, not even when wrong.
    const shown = secretLooking.test(name) ? '(value hidden)' : `got ${JSON.stringify(raw[name])}`;
    throw configError(`${name} must be ${issue.message}, ${shown}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(cwd, e.VERIFRAME_DATA_DIR);
  const database = e.DATABASE_URL ?? { kind: 'pglite-file', dataDir };
  if (database.kind === 'postgres' && !e.VERIFRAME_MASTER_KEY) {
    throw configError('VERIFRAME_MASTER_KEY must be set when DATABASE_URL is PostgreSQL (32 random bytes in base64, e.g. openssl rand -base64 32)');
  }
  if (e.VERIFRAME_DEV_OUTBOX && e.NODE_ENV === 'production') {
    throw configError('VERIFRAME_DEV_OUTBOX shows every code sent and is for development only; it cannot be set with NODE_ENV=production');
  }
  if (e.DEMO_PORT === e.PORT) throw configError(`DEMO_PORT must differ from PORT, both are ${e.PORT}`);
  const publicUrl = e.PUBLIC_URL ?? `http://${hostInUrl(e.HOST)}:${e.PORT}`;
  return {
    port: e.PORT,
    host: e.HOST,
    demoPort: e.DEMO_PORT,
    publicUrl,
    database,
    dataDir,
    masterKey: e.VERIFRAME_MASTER_KEY,
    previousMasterKeys: e.VERIFRAME_PREVIOUS_MASTER_KEYS,
    adminKey: e.VERIFRAME_ADMIN_KEY,
    tokenQuota: e.VERIFRAME_TOKEN_QUOTA,
    autoMigrate: e.VERIFRAME_AUTO_MIGRATE,
    resourceCache: e.VERIFRAME_RESOURCE_CACHE,
    dbQueryTimeoutMs: e.VERIFRAME_DB_QUERY_TIMEOUT * 1000,
    trustedProxies: e.TRUSTED_PROXIES,
    smtpUrl: e.SMTP_URL,
    smsWebhookUrl: e.SMS_WEBHOOK_URL,
    botWebhookUrl: e.BOT_WEBHOOK_URL,
    logLevel: e.LOG_LEVEL,
    production: e.NODE_ENV === 'production',
    devOutbox: e.VERIFRAME_DEV_OUTBOX,
    metricsToken: e.VERIFRAME_METRICS_TOKEN,
    webPush: webPushConfig(e, publicUrl),
  };
}

const hostInUrl = (host: string) => (host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host);

/** Both VAPID keys or neither, a matching pair, and a subject (PUBLIC_URL when it is https). */
function webPushConfig(
  e: {
    VERIFRAME_VAPID_PUBLIC_KEY?: string | undefined;
    VERIFRAME_VAPID_PRIVATE_KEY?: string | undefined;
    VERIFRAME_VAPID_SUBJECT?: string | undefined;
    VERIFRAME_WEB_PUSH_HOSTS?: string[] | undefined;
  },
  publicUrl: string,
): WebPushConfig | undefined {
  const { VERIFRAME_VAPID_PUBLIC_KEY: publicKey, VERIFRAME_VAPID_PRIVATE_KEY: privateKey } = e;
  if (!publicKey && !privateKey) {
    if (e.VERIFRAME_WEB_PUSH_HOSTS)
      throw configError('VERIFRAME_WEB_PUSH_HOSTS needs VERIFRAME_VAPID_PUBLIC_KEY and VERIFRAME_VAPID_PRIVATE_KEY (veriframe vapid-keys makes a pair)');
    if (e.VERIFRAME_VAPID_SUBJECT)
      throw configError('VERIFRAME_VAPID_SUBJECT needs VERIFRAME_VAPID_PUBLIC_KEY and VERIFRAME_VAPID_PRIVATE_KEY (veriframe vapid-keys makes a pair)');
    return undefined;
  }
  if (!publicKey || !privateKey)
    throw configError('VERIFRAME_VAPID_PUBLIC_KEY and VERIFRAME_VAPID_PRIVATE_KEY must be set together (veriframe vapid-keys makes a pair)');
  const ecdh = createECDH('prime256v1');
  let derived: string | undefined;
  try {
    ecdh.setPrivateKey(Buffer.from(privateKey, 'base64url'));
    derived = ecdh.getPublicKey('base64url', 'uncompressed');
  } catch {
    derived = undefined;
  }
  if (derived !== publicKey) throw configError('VERIFRAME_VAPID_PUBLIC_KEY is not the public key of VERIFRAME_VAPID_PRIVATE_KEY (value hidden)');
  const subject = e.VERIFRAME_VAPID_SUBJECT ?? (publicUrl.startsWith('https://') ? publicUrl : undefined);
  if (!subject) throw configError('VERIFRAME_VAPID_SUBJECT must be set (mailto: or https: URL) with the VAPID keys when PUBLIC_URL is not https');
  return { publicKey, privateKey, subject, hosts: e.VERIFRAME_WEB_PUSH_HOSTS ?? PUSH_SERVICE_HOSTS };
}
