import assert from 'node:assert/strict';
import type { TestApp } from './app.js';

export const rfcSecretBase32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // "12345678901234567890" (RFC 4226/6287)
export const rfcSecret = Buffer.from('12345678901234567890');

/** Admin-API calls that set up resources, users and tokens the way an administrator would. */
export function adminCalls(api: TestApp) {
  const call = async <T = Record<string, unknown>>(method: string, path: string, json?: unknown, status = 201): Promise<T> => {
    const res = await api.request(path, { method, ...(json !== undefined ? { json } : {}) });
    const text = await res.text();
    assert.equal(res.status, status, `${method} ${path}: ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
  return {
    call,
    resource: (body: Record<string, unknown> = {}) =>
      call<{ id: string; secret: string }>('POST', '/api/v1/resources', { name: `Res ${Math.random()}`, ...body }),
    user: (body: Record<string, unknown>) => call<{ id: string }>('POST', '/api/v1/users', body),
    token: (body: Record<string, unknown>) => call<{ id: string; otpauthUri?: string }>('POST', '/api/v1/tokens', body),
    pair: async (resourceId: string, userId: string, tokenId: string) => {
      await call('PUT', `/api/v1/tokens/${tokenId}/user`, { userId }, 200);
      await call('PUT', `/api/v1/resources/${resourceId}/users/${userId}/token`, { tokenId }, 204);
    },
    assignUser: (resourceId: string, userId: string) => call('PUT', `/api/v1/resources/${resourceId}/users/${userId}`, undefined, 204),
    assignToken: (resourceId: string, tokenId: string) => call('PUT', `/api/v1/resources/${resourceId}/tokens/${tokenId}`, undefined, 204),
  };
}

/** Calls the server-to-server authentication API with the resource's Basic credentials. */
export function authCalls(api: TestApp, resource: { id: string; secret: string }) {
  const basic = 'Basic ' + Buffer.from(`${resource.id}:${resource.secret}`).toString('base64');
  return async (path: string, body: unknown, auth = basic) => {
    const res = await api.request(`/api/v1/auth/${resource.id}/${path}`, { method: 'POST', json: body, key: null, headers: { authorization: auth } });
    return {
      status: res.status,
      headers: res.headers,
      body: (await res.json()) as { result?: boolean; reason?: string; retryAfter?: number; challenge?: string; error?: { code: string } },
    };
  };
}
