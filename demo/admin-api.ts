// The demo talks to Veriframe only over its public HTTP APIs, as any site owner's code would:
// the admin API with a Bearer key for seeding and the unlock button (this caller); the
// authentication API and the result token through @veriframe/sdk (verify.ts, seed.ts).

export interface ApiError extends Error {
  status: number;
  code: string | undefined;
}

/** One line naming the call and the server's answer, e.g. "POST /api/v1/users: 409 login_taken (…)". */
function apiError(method: string, path: string, status: number, body: unknown): ApiError {
  const e = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  const why = e?.code ? `${e.code} (${e.message ?? ''})` : typeof body === 'string' && body ? body.slice(0, 200) : 'no details';
  return Object.assign(new Error(`${method} ${path.split('?')[0]} answered ${status} ${why}`), { status, code: e?.code });
}

export type Call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, opts?: { csv?: boolean }) => Promise<T>;

/**
 * A JSON caller for `baseUrl` with the given Authorization header. Non-2xx answers throw an
 * ApiError; a server that cannot be reached throws one line saying so.
 */
export function apiCaller(baseUrl: string, authorization: string): Call {
  return async <T>(method: string, path: string, body?: unknown, opts: { csv?: boolean } = {}) => {
    const headers: Record<string, string> = { authorization };
    if (body !== undefined) headers['content-type'] = opts.csv ? 'text/csv' : 'application/json';
    let res: Response;
    try {
      res = await fetch(baseUrl + path, { method, headers, ...(body !== undefined ? { body: opts.csv ? String(body) : JSON.stringify(body) } : {}) });
    } catch (err) {
      throw new Error(`cannot reach Veriframe at ${baseUrl} (${(err as Error).message})`);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      // Not JSON (a proxy's error page, say): kept as text for the message.
    }
    if (!res.ok) throw apiError(method, path, res.status, parsed);
    return parsed as T;
  };
}

export const bearer = (key: string) => `Bearer ${key}`;

/** The admin API's views the demo reads (a subset of the OpenAPI schemas). */
export interface Resource {
  id: string;
  name: string;
  allowedOrigins: string[];
  secret?: string;
}
export interface User {
  id: string;
  login: string;
}
export interface Token {
  id: string;
  type: string;
  kind: string;
  serialNumber: string | null;
  userId: string | null;
  failedAttempts: number;
  locked: boolean;
  lockedAt: string | null;
  bypass: { permanent: boolean; until: string | null };
  otpauthUri?: string;
}
export interface List<T> {
  items: T[];
  total: number;
}

/** The row whose `key` equals `value` case-insensitively, from a search (searches match loosely). */
export async function findOne<T>(call: Call, path: string, search: string, key: (row: T) => string | null): Promise<T | undefined> {
  const page = await call<List<T>>('GET', `${path}?search=${encodeURIComponent(search)}&limit=500`);
  return page.items.find((row) => key(row)?.toLowerCase() === search.toLowerCase());
}
