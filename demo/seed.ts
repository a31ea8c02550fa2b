// Seeds the demo through Veriframe's public admin API, as a site owner would set up their shop:
// the resource, the users, their tokens (one CSV import), the pairings, a bypass and a lockout.
// Idempotent: every row is looked up first (resource by name, user by login, token by serial
// number), so later starts create nothing. What the API shows only once is kept in the state
// file; if it was lost while the rows exist, the secret is rotated or the token reissued instead
// of creating anything twice.
import path from 'node:path';
import { createAuthClient } from '../sdk/src/index.js';
import { apiCaller, bearer, findOne, type Call, type Resource, type Token, type User } from './admin-api.js';
import { parseOtpauth, readHardwareCsv, wrongCodes } from './codes.js';
import { readState, writeState, type DemoState } from './state.js';
import { DEMO_USERS, HARDWARE_CSV, PORTAL_ADDRESS, RESOURCE_NAME, SELF_SERVICE_USERS, type DemoUser } from './users.js';

export const HARDWARE_CSV_PATH = path.join(import.meta.dirname, HARDWARE_CSV);

export interface SeedOptions {
  /** Where the demo's backend reaches Veriframe. */
  apiUrl: string;
  adminKey: string;
  /** The demo site's origins (127.0.0.1 and localhost): the resource must allow them to embed the widget. */
  demoOrigins: string[];
  /** demo-state.json; without it (in-memory database) nothing is kept. */
  stateFile?: string;
  now?: () => Date;
}

export interface DemoData {
  resource: { id: string; secret: string; failedAttemptsLimit: number };
  /** Per login: the user, its token and, for software TOTP tokens, the enrolled otpauth URI. */
  users: Record<string, { id: string; tokenId: string; otpauthUri?: string }>;
  /** What this start created, for the start-up line; all zero on later starts. */
  created: Created;
}

export interface Created {
  resources: number;
  users: number;
  tokens: number;
}

interface Ctx {
  call: Call;
  opts: SeedOptions;
  state: DemoState;
  created: Created;
}

/** Whether Basic credentials work: the auth API checks them before the body (401 vs 400). */
async function secretWorks(apiUrl: string, id: string, secret: string): Promise<boolean> {
  // An empty login is refused with 400 after the credentials passed, and sends nothing.
  const r = await createAuthClient({ baseUrl: apiUrl, resource: { id, secret } }).prepare({ login: '' });
  if (r.ok || r.error.status === 400) return true;
  if (r.error.status === 401) return false;
  throw new Error(`cannot check the demo's resource secret: ${r.error.code} (${r.error.message})`);
}

/**
 * The shop's self-service portal and enrolment during login (DESIGN §12): every action allowed,
 * authenticator apps and e-mail codes to enrol.
 */
const PORTAL_SETTINGS = {
  selfService: {
    enabled: true,
    address: PORTAL_ADDRESS,
    allowedActions: {
      token: { enroll: true, reissue: true, assignExisting: true, unassign: true, synchronize: true, setPin: true, removePin: true },
      user: { createPassword: true, changePassword: true, changeEmail: true, changePhone: true, changeLogin: true, changeNames: true },
    },
    enrollmentTypes: ['totp', 'hotp', 'email', 'push'],
  },
  enrollOnLogin: true,
};

async function ensureResource(k: Ctx): Promise<DemoData['resource']> {
  const { call, opts } = k;
  type Row = Resource & { failedAttemptsLimit: number; selfService?: { address: string | null } };
  const r = await findOne<Row>(call, '/api/v1/resources', RESOURCE_NAME, (x) => x.name);
  if (!r) {
    const made = await call<Row>('POST', '/api/v1/resources', {
      name: RESOURCE_NAME,
      allowedOrigins: opts.demoOrigins,
      authMethod: 'password+otp',
      ...PORTAL_SETTINGS,
    });
    k.created.resources++;
    return { id: made.id, secret: made.secret!, failedAttemptsLimit: made.failedAttemptsLimit };
  }
  // DEMO_PORT or HOST changed since the first start: the new origin may embed the widget too.
  const missing = opts.demoOrigins.filter((o) => !r.allowedOrigins.includes(o));
  if (missing.length) await call('PATCH', `/api/v1/resources/${r.id}`, { allowedOrigins: [...r.allowedOrigins, ...missing].slice(-50) });
  // Data seeded before the portal existed gets it once.
  if (r.selfService?.address !== PORTAL_ADDRESS) await call('PATCH', `/api/v1/resources/${r.id}`, PORTAL_SETTINGS);
  const saved = k.state.resource?.id === r.id ? k.state.resource.secret : undefined;
  if (saved && (await secretWorks(opts.apiUrl, r.id, saved))) return { id: r.id, secret: saved, failedAttemptsLimit: r.failedAttemptsLimit };
  const rotated = await call<Resource>('POST', `/api/v1/resources/${r.id}/secret`);
  return { id: r.id, secret: rotated.secret!, failedAttemptsLimit: r.failedAttemptsLimit };
}

async function ensureUser(k: Ctx, u: Pick<DemoUser, 'login' | 'password' | 'email' | 'firstName'>): Promise<User> {
  const found = await findOne<User>(k.call, '/api/v1/users', u.login, (x) => x.login);
  if (found) return found;
  k.created.users++;
  return k.call<User>('POST', '/api/v1/users', { login: u.login, password: u.password, email: u.email, firstName: u.firstName });
}

/** Imports the shipped CSV, only the lines whose serial numbers are not there yet. */
async function importHardwareTokens(k: Ctx): Promise<void> {
  const { text } = readHardwareCsv(HARDWARE_CSV_PATH);
  const [header, ...lines] = text.split(/\r?\n/).filter((l) => l.trim());
  const serials = lines.map((l) => l.split(',')[0]!.trim());
  const existing = await Promise.all(serials.map((serial) => findOne<Token>(k.call, '/api/v1/tokens', serial, (t) => t.serialNumber)));
  const missing = lines.filter((_, i) => !existing[i]);
  if (!missing.length) return;
  const { imported } = await k.call<{ imported: number }>('POST', '/api/v1/tokens/import?kind=hardware&type=hotp', [header, ...missing].join('\n') + '\n', {
    csv: true,
  });
  k.created.tokens += imported;
}

/** The user's token, created when missing; software TOTP tokens come with their otpauth URI. */
async function ensureToken(k: Ctx, u: DemoUser): Promise<{ token: Token; fresh: boolean }> {
  const spec = u.token;
  const found = await findOne<Token>(k.call, '/api/v1/tokens', spec.serial, (t) => t.serialNumber);
  if (found) {
    const uri = k.state.enrolments?.[found.id];
    if (spec.kind !== 'software-totp' || uri) return { token: { ...found, ...(uri ? { otpauthUri: uri } : {}) }, fresh: false };
    // The URI was shown once and the state file is gone: a new secret, as a lost phone would need.
    return { token: await k.call<Token>('POST', `/api/v1/tokens/${found.id}/reissue`), fresh: false };
  }
  if (spec.kind === 'csv-hotp') throw new Error(`token ${spec.serial} is not in ${HARDWARE_CSV}`);
  const body =
    spec.kind === 'software-totp'
      ? { kind: 'software', type: 'totp', serialNumber: spec.serial, name: `${u.firstName}'s phone` }
      : spec.kind === 'email'
        ? { kind: 'software', type: 'email', serialNumber: spec.serial, name: `${u.firstName}'s e-mail` }
        : spec.kind === 'push'
          ? // Enrolled later, from his page: the enrolment link is single use and lives 10 minutes.
            { kind: 'software', type: 'push', serialNumber: spec.serial, name: `${u.firstName}'s authenticator app` }
          : { kind: 'hardware', type: 'ocra', serialNumber: spec.serial, name: `${u.firstName}'s OCRA token`, secret: spec.secret, ocraSuite: spec.suite };
  k.created.tokens++;
  return { token: await k.call<Token>('POST', '/api/v1/tokens', body), fresh: true };
}

/**
 * Locks `login`'s token the way it happens in real life: wrong codes through the authentication
 * API until the resource's limit is reached (each different, since a repeated wrong code within
 * a minute counts once). The server e-mails the user a lock notice.
 */
export async function lockWithWrongCodes(apiUrl: string, resource: DemoData['resource'], login: string, otpauthUri: string, now: Date): Promise<void> {
  const auth = createAuthClient({ baseUrl: apiUrl, resource });
  for (const otp of wrongCodes(parseOtpauth(otpauthUri), now.getTime(), resource.failedAttemptsLimit)) {
    const answer = await auth.userToken({ login, otp });
    if (!answer.ok)
      throw new Error(`POST /api/v1/auth/${resource.id}/user-token answered ${answer.error.status} ${answer.error.code} (${answer.error.message})`);
    if (answer.data.result || answer.data.reason === 'locked') break;
  }
}

export async function seedDemo(opts: SeedOptions): Promise<DemoData> {
  const now = opts.now ?? (() => new Date());
  const k: Ctx = {
    call: apiCaller(opts.apiUrl, bearer(opts.adminKey)),
    opts,
    state: await readState(opts.stateFile),
    created: { resources: 0, users: 0, tokens: 0 },
  };
  const resource = await ensureResource(k);
  await importHardwareTokens(k);
  const users: DemoData['users'] = {};
  const enrolments: Record<string, string> = {};
  for (const u of DEMO_USERS) {
    const user = await ensureUser(k, u);
    const { token, fresh } = await ensureToken(k, u);
    if (token.userId !== user.id) await k.call('PUT', `/api/v1/tokens/${token.id}/user`, { userId: user.id });
    // Idempotent on the server: the same pairing again changes nothing and records nothing.
    await k.call('PUT', `/api/v1/resources/${resource.id}/users/${user.id}/token`, { tokenId: token.id });
    if (token.otpauthUri) enrolments[token.id] = token.otpauthUri;
    users[u.login] = { id: user.id, tokenId: token.id, ...(token.otpauthUri ? { otpauthUri: token.otpauthUri } : {}) };
    if (u.login === 'erin' && !token.bypass.permanent) await k.call('POST', `/api/v1/tokens/${token.id}/bypass`, { permanent: true });
    // Frank is locked once, when his token is new; after an unlock he stays unlocked.
    if (u.login === 'frank' && fresh && token.otpauthUri) await lockWithWrongCodes(opts.apiUrl, resource, u.login, token.otpauthUri, now());
  }
  // Users without a token, assigned to the shop directly: they enrol one themselves.
  for (const u of SELF_SERVICE_USERS) {
    const user = await ensureUser(k, u);
    await k.call('PUT', `/api/v1/resources/${resource.id}/users/${user.id}`);
  }
  await writeState(opts.stateFile, { resource: { id: resource.id, secret: resource.secret }, enrolments });
  return { resource, users, created: k.created };
}
