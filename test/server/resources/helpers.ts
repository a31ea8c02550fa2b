import assert from 'node:assert/strict';
import { insertAdmin } from '../../../server/src/admins/repository.js';
import { createApiKey } from '../../../server/src/admins/keys-service.js';
import type { TestApp } from '../../helpers/app.js';
import type { TestDb } from '../../helpers/db.js';

export type Json = Record<string, unknown> & { error?: { code: string; field?: string; message: string } };

/** One request; the body parsed (or {}), the raw text kept for messages and leak checks. */
export function caller(api: TestApp) {
  return async (method: string, path: string, json?: unknown, key?: string) => {
    const res = await api.request(path, { method, ...(json !== undefined ? { json } : {}), ...(key ? { key } : {}) });
    const text = await res.text();
    return { status: res.status, text, body: (text ? JSON.parse(text) : {}) as Json };
  };
}

/** A resource administrator of `resourceIds` with a working API key. */
export async function resourceAdmin(t: TestDb, name: string, resourceIds: string[]) {
  const admin = await insertAdmin(t.db, { name, role: 'admin', createdBy: null });
  if (resourceIds.length)
    await t.db
      .insertInto('admin_resources')
      .values(resourceIds.map((resourceId) => ({ adminId: admin.id, resourceId })))
      .execute();
  const { apiKey } = await createApiKey(t.db, { adminId: admin.id, name: 'test', actor: 'test' });
  return { id: admin.id, key: apiKey };
}

export async function createResource(call: ReturnType<typeof caller>, name: string, extra: Record<string, unknown> = {}) {
  const res = await call('POST', '/api/v1/resources', { name, ...extra });
  assert.equal(res.status, 201, res.text);
  return { id: res.body.id as string, secret: res.body.secret as string };
}

export const missingId = '00000000-0000-4000-8000-00000000dead';
