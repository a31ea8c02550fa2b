// The OpenAPI document exactly as a running server serves it at /api/v1/openapi.json, without a
// database or a socket: the document is built from the route definitions alone.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { createKeyRing } from '../server/src/crypto/secretbox.js';
import type { Db } from '../server/src/db/index.js';
import { createLogger } from '../server/src/logger.js';

export async function openApiDocument(publicUrl = 'http://localhost:8787'): Promise<unknown> {
  const app = createApp({
    config: loadConfig({ DATABASE_URL: 'pglite://memory', LOG_LEVEL: 'silent', PUBLIC_URL: publicUrl }),
    // Never queried: serving the document reads no table.
    db: {} as Db,
    log: createLogger('silent'),
    keyRing: createKeyRing(Buffer.alloc(32)),
    widgetAssets: { get: () => Promise.reject(new Error('no assets here')), warm: () => undefined },
  });
  const res = await app.request('/api/v1/openapi.json');
  if (!res.ok) throw new Error(`the OpenAPI document answered ${res.status}`);
  return res.json();
}

// node --import tsx scripts/openapi-document.ts [publicUrl] [file]: prints it, or writes it to file.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [, , publicUrl, file] = process.argv;
  const text = JSON.stringify(await openApiDocument(publicUrl), null, 2) + '\n';
  if (!file) process.stdout.write(text);
  else {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
}
