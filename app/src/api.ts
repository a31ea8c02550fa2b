// The app's calls to its server (/app/api, same origin). Errors carry the server's words.

export type ApiError = Error & { status: number; code: string };

async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      cache: 'no-store',
    });
  } catch (err) {
    throw Object.assign(new Error(`offline (${(err as Error).message})`), { status: 0, code: 'offline' });
  }
  if (res.status === 204) return undefined as T;
  const json = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
  if (!res.ok) throw Object.assign(new Error(json.error?.message ?? `HTTP ${res.status}`), { status: res.status, code: json.error?.code ?? 'http' });
  return json as T;
}

const KEY = 'X-Veriframe-Backup-Key';
export const serverTime = () => call<{ epochMs: number; iso: string }>('GET', '/app/api/time');
export const createBackup = (data: string) => call<{ id: string; writeKey: string; updatedAt: string }>('POST', '/app/api/backups', { data });
export const readBackup = (id: string) => call<{ data: string; updatedAt: string }>('GET', `/app/api/backups/${encodeURIComponent(id)}`);
export const replaceBackup = (id: string, writeKey: string, data: string) =>
  call<{ updatedAt: string }>('PUT', `/app/api/backups/${encodeURIComponent(id)}`, { data }, { [KEY]: writeKey });
export const deleteBackup = (id: string, writeKey: string) =>
  call<void>('DELETE', `/app/api/backups/${encodeURIComponent(id)}`, undefined, { [KEY]: writeKey });
