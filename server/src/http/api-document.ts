// The last pass over the generated OpenAPI document, in one place rather than in every route
// file: each operation gets a stable operationId derived from its method and path, and each
// declares its security from where it is mounted (DESIGN §14). A route that sets either itself
// keeps its own.

type Operation = { operationId?: string; security?: Record<string, string[]>[] } & Record<string, unknown>;

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const API_PREFIX = '/api/v1';

const pascal = (word: string) =>
  word
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

/**
 * `POST /api/v1/tokens/{id}/check` → `postTokensByIdCheck`, `GET /.well-known/jwks.json` →
 * `getWellKnownJwksJson`: the method, then each path segment (`/api/v1` dropped), a parameter as
 * `By<Name>`. It changes only when the route's method or path does, and two operations can only
 * share one if they share method and path.
 */
export function operationIdOf(method: string, path: string): string {
  const rest = path.startsWith(API_PREFIX + '/') ? path.slice(API_PREFIX.length) : path;
  const words = rest
    .split('/')
    .filter(Boolean)
    .map((seg) => (/^\{.+\}$/.test(seg) ? `By${pascal(seg.slice(1, -1))}` : pascal(seg)));
  return method.toLowerCase() + words.join('');
}

const PUBLIC: Record<string, string[]>[] = [];

/** Who may call `path`, from how app.ts mounts it. */
export function securityOf(path: string): Record<string, string[]>[] {
  if (path.startsWith(`${API_PREFIX}/auth/`) || path === `${API_PREFIX}/verify`) return [{ resourceSecret: [] }];
  if (path === `${API_PREFIX}/openapi.json` || !path.startsWith(`${API_PREFIX}/`)) return PUBLIC;
  return [{ apiKey: [] }];
}

/** Fills in operationIds and security; throws when two operations would share an id. */
export function finishDocument<T extends { paths?: object }>(doc: T): T {
  const seen = new Map<string, string>();
  for (const [path, item] of Object.entries(doc.paths ?? {}) as [string, Record<string, unknown>][]) {
    for (const [method, value] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const op = value as Operation;
      op.operationId ??= operationIdOf(method, path);
      op.security ??= securityOf(path);
      const where = `${method.toUpperCase()} ${path}`;
      const other = seen.get(op.operationId);
      if (other) throw new Error(`operationId ${op.operationId} of ${where} is already used by ${other}`);
      seen.set(op.operationId, where);
    }
  }
  return doc;
}
