import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Context } from 'hono';
import type { Logger } from '../logger.js';

// A Vite-built browser app's files (the console's, the authenticator app's): from its dist/
// folder after `npm run build`, else (outside production) built once in memory with Vite, as
// the widget's are (see widget/assets.ts), so `npm start` on a fresh clone serves them without a
// build step.

const SAFE_NAME = /^(?:chunks\/)?[A-Za-z0-9_-][A-Za-z0-9_.-]*\.js$/;

export interface BundleAsset {
  body: Uint8Array;
  etag: string;
}
export type BundleAssetResult = { asset: BundleAsset } | { missing: true } | { unavailable: string };
export interface BundleAssets {
  get(name: string): Promise<BundleAssetResult>;
}

export type BundleSpec = {
  /** What the log and the 503 call it: "console", "authenticator app". */
  label: string;
  distDir: string;
  /** The entry file whose presence means "built". */
  entry: string;
  /** The Vite config (relative to root) that builds it in memory. */
  configFile: string;
  root: string;
  /** The 503 text when it is not built. */
  notBuilt: string;
};

const asset = (body: Uint8Array): BundleAsset => ({ body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` });

export function createBundleAssets(spec: BundleSpec, opts: { production: boolean; log: Logger; build?: () => Promise<Map<string, Uint8Array>> }): BundleAssets {
  const build = opts.build ?? (() => viteBuildInMemory(spec));
  let built: Promise<Map<string, Uint8Array>> | undefined;
  const devBuild = () =>
    (built ??= build().then(
      (files) => {
        opts.log.info({ files: files.size }, `${spec.label} built in memory (development; \`npm run build\` writes it to disk)`);
        return files;
      },
      (err: Error) => {
        built = undefined;
        throw err;
      },
    ));
  return {
    async get(name) {
      if (!SAFE_NAME.test(name)) return { missing: true };
      const file = path.join(spec.distDir, name);
      if ((await stat(file).catch(() => undefined))?.isFile()) return { asset: asset(await readFile(file)) };
      if ((await stat(path.join(spec.distDir, spec.entry)).catch(() => undefined))?.isFile()) return { missing: true };
      if (opts.production) return { unavailable: spec.notBuilt };
      try {
        const body = (await devBuild()).get(name);
        return body ? { asset: asset(body) } : { missing: true };
      } catch (err) {
        opts.log.error({ err: { message: (err as Error).message } }, `the ${spec.label} could not be built in memory`);
        return { unavailable: `${spec.notBuilt} Building it in memory failed: ${(err as Error).message.split('\n')[0]}` };
      }
    },
  };
}

/**
 * Answers with one of the bundle's scripts: 404 for an unknown name, 503 while it cannot be built,
 * 304 when the browser's copy is current. Revalidated on every load (the names carry no hash;
 * the app's service worker keeps the copy it uses offline).
 */
export async function serveBundleScript(c: Context, assets: BundleAssets, name: string): Promise<Response> {
  const result = await assets.get(name);
  if ('missing' in result) return c.notFound();
  if ('unavailable' in result) return c.text(result.unavailable, 503);
  if (c.req.header('if-none-match') === result.asset.etag) return c.body(null, 304);
  c.header('Content-Type', 'text/javascript; charset=utf-8');
  c.header('ETag', result.asset.etag);
  c.header('Cache-Control', 'no-cache');
  return c.body(result.asset.body as Uint8Array<ArrayBuffer>);
}

export async function viteBuildInMemory(spec: Pick<BundleSpec, 'root' | 'configFile' | 'entry'>): Promise<Map<string, Uint8Array>> {
  const vite = await import('vite').catch(() => {
    throw new Error('Vite is not installed (it is a devDependency: run `npm install`)');
  });
  const result = await vite.build({
    root: spec.root,
    configFile: path.join(spec.root, spec.configFile),
    logLevel: 'silent',
    build: { write: false, emptyOutDir: false },
  });
  const files = new Map<string, Uint8Array>();
  for (const out of [result].flat() as { output?: { fileName: string; code?: string; source?: string | Uint8Array }[] }[]) {
    for (const f of out.output ?? []) {
      const body = f.code ?? f.source ?? '';
      files.set(f.fileName, typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
    }
  }
  if (!files.has(spec.entry)) throw new Error(`the build produced no ${spec.entry}`);
  return files;
}
