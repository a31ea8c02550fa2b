// The load generator: autocannon in its own thread, so that building requests (a fresh user and
// a freshly computed TOTP code for each one) and parsing answers does not compete with the
// server under test for the main event loop. The app and its baseline are driven by this same
// code, so what remains of the driver's cost cancels out in their ratio. It stays up between
// jobs, keeping its JIT warm for every segment alike.
//
// Every request that authenticates uses a user no earlier request used, with the code valid
// now (computed when the request is built; the server accepts the previous step too, so a
// period boundary in flight does no harm): nothing is ever replayed, and every answer is
// checked, so a broken setup fails the bench instead of looking fast.
import { parentPort } from 'node:worker_threads';
import autocannon, { type Request } from 'autocannon';
import { totp } from '../server/src/otp/totp.js';
import { threadId, type CpuUse } from './cpu-usage.js';

/** One seeded user: login, its TOTP token (SHA1, 6 digits, 30 s) and the token's secret. */
export interface BenchUser {
  login: string;
  tokenId: string;
  secret: Uint8Array;
}

export type Scenario =
  /** A fixed GET (admin request). */
  | { kind: 'get'; path: string; headers: Record<string, string> }
  /** POST /api/v1/auth/{r}/user-token {login, otp, ip}: users[from…]. */
  | { kind: 'userToken'; path: string; authorization: string; from: number }
  /** POST to the bare baseline route {tokenId, otp, ip}: users[from…]. */
  | { kind: 'baseline'; path: string; from: number }
  /** POST /api/v1/auth/{r}/password {login, password, ip}: users[from…], user i's password is passwords[i % n]. */
  | { kind: 'password'; path: string; authorization: string; from: number; passwords: string[] }
  /** start → identify → otp → POST /api/v1/verify, one user (users[from…]) per login; `amount` counts HTTP requests (4 a login). */
  | { kind: 'widgetLogin'; resourceId: string; siteOrigin: string; authorization: string; from: number };

export interface LoadJob {
  /** http://127.0.0.1:port */
  origin: string;
  scenario: Scenario;
  connections: number;
  /** Requests in all (autocannon `amount`). */
  amount: number;
  /** Stops early after this long, whatever is left. */
  maxMs: number;
}

export interface LoadSample {
  /** Answers received. */
  requests: number;
  /** Answers that were the expected success (for widget logins: completed logins). */
  ok: number;
  failures: number;
  /** The first unexpected answer, so a broken setup is reported instead of a fast-failing rps. */
  firstFailure?: string;
  /** Connection errors and timeouts as autocannon counts them. */
  errors: number;
  elapsedMs: number;
  /** Per HTTP request. */
  latenciesMs: Float64Array<ArrayBuffer>;
  /** Per completed login (widget only): start sent → verify answered. */
  loginLatenciesMs?: Float64Array<ArrayBuffer>;
  /** Users the job consumed (the next job starts after them). */
  usersUsed: number;
  /** CPU spent during the job (bench/cpu-usage.ts), added by the main thread. */
  cpu?: CpuUse;
}

export type WorkerMessage = { type: 'users'; users: BenchUser[] } | { type: 'run'; job: LoadJob };
export type WorkerReply = { type: 'sample'; sample: LoadSample } | { type: 'error'; message: string } | { type: 'thread'; tid: number | undefined };

const totpOptions = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
const codeOf = (u: BenchUser) => totp(u.secret, Date.now(), totpOptions);
// End-user addresses as a site's backend passes them (documentation range; data, not traffic).
const ipOf = (i: number) => `198.51.100.${i % 250}`;
/** A client address of its own for widget login n (through X-Forwarded-For): end users come from
 * many addresses, and one address may start only so many widget logins (LIMITS.startPerIp). */
const clientOf = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
const json = { 'content-type': 'application/json' };

let users: BenchUser[] = [];
let nonces = 0;

function run(job: LoadJob): Promise<LoadSample> {
  let next = 0;
  const take = (from: number): [BenchUser, number] => {
    const i = from + next++;
    const u = users[i];
    if (!u) throw new Error(`bench ran out of users at ${i} (seeded ${users.length})`);
    return [u, i];
  };
  let ok = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const fail = (what: string, status: number, body: string) => {
    failures++;
    firstFailure ??= `${what}: HTTP ${status} ${body.slice(0, 300)}`;
  };
  const expect = (what: string, good: (body: string) => boolean) => (status: number, body: string) => {
    if (status === 200 && good(body)) ok++;
    else fail(what, status, body);
  };
  const success = (body: string) => body.startsWith('{"result":true');
  /** One POST per request, each with the next unused user (and its current code), expecting success. */
  const postEach = (what: string, path: string, headers: Record<string, string>, bodyOf: (u: BenchUser, i: number) => object, from: number): Request[] => [
    {
      method: 'POST',
      path,
      headers,
      setupRequest: (req) => {
        const [u, i] = take(from);
        return { ...req, body: JSON.stringify(bodyOf(u, i)) };
      },
      onResponse: expect(what, success),
    },
  ];
  const loginLatencies: number[] = [];

  const s = job.scenario;
  let requests: Request[];
  switch (s.kind) {
    case 'get':
      requests = [{ method: 'GET', path: s.path, headers: s.headers, onResponse: expect(s.path, () => true) }];
      break;
    case 'userToken':
      requests = postEach(
        'user-token',
        s.path,
        { ...json, authorization: s.authorization },
        (u, i) => ({ login: u.login, otp: codeOf(u), ip: ipOf(i) }),
        s.from,
      );
      break;
    case 'baseline':
      requests = postEach('baseline', s.path, json, (u, i) => ({ tokenId: u.tokenId, otp: codeOf(u), ip: ipOf(i) }), s.from);
      break;
    case 'password':
      requests = postEach(
        'password',
        s.path,
        { ...json, authorization: s.authorization },
        (u, i) => ({ login: u.login, password: s.passwords[i % s.passwords.length], ip: ipOf(i) }),
        s.from,
      );
      break;
    case 'widgetLogin': {
      // One login per pass over the four requests; autocannon keeps `context` per connection and
      // resets it at the start of each pass. A step whose answer was wrong makes the next
      // setupRequest return null, which restarts the sequence (and counts as a failure).
      const step =
        (what: string, read: (body: any, context: Record<string, any>) => boolean) => (status: number, body: string, context: Record<string, any>) => {
          let good = false;
          try {
            good = status === 200 && read(JSON.parse(body), context);
          } catch {
            good = false;
          }
          if (!good) fail(what, status, body);
          context.failed = !good;
        };
      requests = [
        {
          method: 'POST',
          path: '/widget/api/start',
          headers: json,
          setupRequest: (req, context) => {
            context.nonce = `bench-${++nonces}`;
            context.client = { ...json, 'x-forwarded-for': clientOf(nonces) };
            context.t0 = performance.now();
            return {
              ...req,
              headers: context.client,
              body: JSON.stringify({ resourceId: s.resourceId, origin: s.siteOrigin, nonce: context.nonce, instance: 'vf-bench' }),
            };
          },
          onResponse: step('start', (b, context) => typeof (context.tx = b.transaction) === 'string'),
        },
        {
          method: 'POST',
          path: '/widget/api/identify',
          headers: json,
          setupRequest: (req, context) => {
            if (context.failed) return null;
            const [u] = take(s.from);
            context.user = u;
            return { ...req, headers: context.client, body: JSON.stringify({ transaction: context.tx, login: u.login }) };
          },
          onResponse: step('identify', (b) => b.step === 'otp' && b.otp?.type === 'totp'),
        },
        {
          method: 'POST',
          path: '/widget/api/otp',
          headers: json,
          setupRequest: (req, context) => {
            if (context.failed) return null;
            return { ...req, headers: context.client, body: JSON.stringify({ transaction: context.tx, otp: codeOf(context.user as BenchUser) }) };
          },
          onResponse: step('otp', (b, context) => b.step === 'done' && typeof (context.jwt = b.token) === 'string'),
        },
        {
          method: 'POST',
          path: '/api/v1/verify',
          headers: { ...json, authorization: s.authorization },
          setupRequest: (req, context) => {
            if (context.failed) return null;
            return { ...req, body: JSON.stringify({ token: context.jwt, nonce: context.nonce }) };
          },
          onResponse: (status, body, context) => {
            step('verify', (b) => b.valid === true && b.sub !== undefined)(status, body, context);
            if (!context.failed) {
              ok++;
              loginLatencies.push(performance.now() - (context.t0 as number));
            }
          },
        },
      ];
      break;
    }
  }

  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const started = performance.now();
    // autocannon notices the end only at its next sample tick; the segment ends at its last answer.
    let lastAnswer = started;
    let stopTimer: NodeJS.Timeout | undefined;
    const instance = autocannon(
      {
        url: job.origin,
        connections: job.connections,
        amount: job.amount,
        timeout: 30,
        sampleInt: 100,
        requests,
      },
      (err, result) => {
        clearTimeout(stopTimer);
        if (err) return reject(err);
        resolve({
          requests: latencies.length,
          ok,
          failures,
          ...(firstFailure ? { firstFailure } : {}),
          errors: result.errors + result.timeouts,
          elapsedMs: lastAnswer - started,
          latenciesMs: Float64Array.from(latencies),
          ...(s.kind === 'widgetLogin' ? { loginLatenciesMs: Float64Array.from(loginLatencies) } : {}),
          usersUsed: s.kind === 'get' ? 0 : next,
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
      lastAnswer = performance.now();
    });
    stopTimer = setTimeout(() => instance.stop(), job.maxMs);
  });
}

// Which thread is the load generator's, for the CPU count of each segment (bench/cpu-usage.ts).
parentPort!.postMessage({ type: 'thread', tid: threadId() } satisfies WorkerReply);

parentPort!.on('message', async (msg: WorkerMessage) => {
  if (msg.type === 'users') {
    users = msg.users;
    return;
  }
  try {
    const sample = await run(msg.job);
    const transfer = [sample.latenciesMs.buffer, ...(sample.loginLatenciesMs ? [sample.loginLatenciesMs.buffer] : [])];
    parentPort!.postMessage({ type: 'sample', sample } satisfies WorkerReply, transfer);
  } catch (err) {
    parentPort!.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies WorkerReply);
  }
});
