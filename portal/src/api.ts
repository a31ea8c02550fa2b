// The portal's JSON API (/self-service/{address}/api/...): same origin, the `vf_ss` cookie is
// sent by the browser, and every call but sign-in carries the session's CSRF value.

export type Answer = { ok: true; data: Record<string, any> } | { ok: false; code: string; retryAfter?: number };

let csrf = '';
let base = '';

export function configure(address: string): void {
  base = `/self-service/${address}/api`;
}

export async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (csrf) headers['x-veriframe-csrf'] = csrf;
  let res: Response;
  try {
    res = await fetch(`${base}/${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    return { ok: false, code: 'network' };
  }
  const data = (await res.json().catch(() => ({}))) as Record<string, any>;
  if (typeof data.csrf === 'string') csrf = data.csrf;
  if (res.ok) return { ok: true, data };
  const retryAfter = Number(data.error?.details?.retryAfter ?? res.headers.get('retry-after') ?? NaN);
  return { ok: false, code: typeof data.error?.code === 'string' ? data.error.code : 'server', ...(Number.isFinite(retryAfter) ? { retryAfter } : {}) };
}

export const forget = () => {
  csrf = '';
};
