import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { BUILD_DIR, PACKAGE_ROOT } from '../paths.js';

// The widget bundles served under /widget/assets/. `npm run build` writes them to dist/widget
// and they are served from there (re-read when the file changes, so a rebuild needs no restart).
// Without a build, outside production, the server builds them itself once, in memory, with
// Vite (a devDependency, ~0.2 s): `npm install && npm start` works for a newcomer without a
// manual build step and without writing into the work tree. In production, or where Vite is
// not installed, a missing build is a 503 that says to run `npm run build`.

export const PROJECT_ROOT = PACKAGE_ROOT;
export const DIST_DIR = path.join(BUILD_DIR, 'widget');

export interface Asset {
  body: Uint8Array;
  contentType: string;
  etag: string;
}

export type AssetResult = { asset: Asset } | { missing: true } | { unavailable: string };

export interface WidgetAssets {
  get(name: string): Promise<AssetResult>;
  /** Starts the development build early (when the page is served), so frame.js is ready sooner. */
  warm(): void;
}

/** Builds the bundles in memory: file name → contents. */
export type Builder = () => Promise<Map<string, Uint8Array>>;

export interface AssetOptions {
  distDir?: string;
  production: boolean;
  log: Logger;
  /** The development build; default: Vite with the project's vite.config.ts. */
  build?: Builder;
}

// File names a bundler writes: no "..", no leading dot, no backslash, .js or .css only.
const SAFE_NAME = /^(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*\/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*\.(js|css)$/;
const TYPES = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' } as const;
const ENTRY = 'frame.js';

export const NOT_BUILT = 'The widget is not built: run `npm run build` (it writes dist/widget).';

const asset = (name: string, body: Uint8Array): Asset => ({
  body,
  contentType: TYPES[name.endsWith('.css') ? 'css' : 'js'],
  etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
});

export function createWidgetAssets(opts: AssetOptions): WidgetAssets {
  const distDir = opts.distDir ?? DIST_DIR;
  const build = opts.build ?? (() => viteBuild(PROJECT_ROOT));
  const fromDisk = new Map<string, { mtimeMs: number; size: number; asset: Asset }>();
  let built: Promise<Map<string, Uint8Array>> | undefined;

  async function readDist(name: string): Promise<Asset | undefined> {
    const file = path.join(distDir, name);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const cached = fromDisk.get(name);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.asset;
    const entry = { mtimeMs: info.mtimeMs, size: info.size, asset: asset(name, await readFile(file)) };
    fromDisk.set(name, entry);
    return entry.asset;
  }

  const distBuilt = async () => (await stat(path.join(distDir, ENTRY)).catch(() => undefined))?.isFile() === true;

  function devBuild(): Promise<Map<string, Uint8Array>> {
    if (!built) {
      const started = Date.now();
      built = build().then(
        (files) => {
          opts.log.info({ files: [...files.keys()], ms: Date.now() - started }, 'widget built in memory (development; `npm run build` writes dist/widget)');
          return files;
        },
        (err: Error) => {
          // Forgotten, so the next request tries again (after the developer fixed the source).
          built = undefined;
          throw err;
        },
      );
    }
    return built;
  }

  return {
    async get(name) {
      if (!SAFE_NAME.test(name) || name.split('/').some((part) => part.startsWith('.'))) return { missing: true };
      const onDisk = await readDist(name);
      if (onDisk) return { asset: onDisk };
      // A build exists but has no such file: it is simply not there.
      if (await distBuilt()) return { missing: true };
      if (opts.production) return { unavailable: NOT_BUILT };
      try {
        const body = (await devBuild()).get(name);
        return body ? { asset: asset(name, body) } : { missing: true };
      } catch (err) {
        opts.log.error({ err: { name: (err as Error).name, message: (err as Error).message } }, 'the widget could not be built in memory');
        return { unavailable: `${NOT_BUILT} Building it in memory failed: ${(err as Error).message.split('\n')[0]}` };
      }
    },
    warm() {
      if (opts.production || built) return;
      void distBuilt().then((yes) => (yes ? undefined : devBuild().catch(() => undefined)));
    },
  };
}

/** Vite's build() with the project's config, written to memory instead of dist/widget. */
export async function viteBuild(root: string): Promise<Map<string, Uint8Array>> {
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    throw new Error('Vite is not installed (it is a devDependency: run `npm install`)');
  }
  // The config has one build environment per bundle (frame.js, embed.js); `build()` alone would
  // only build the first, so every environment is built through a builder.
  const builder = await vite.createBuilder({
    root,
    configFile: path.join(root, 'vite.config.ts'),
    logLevel: 'silent',
    build: { write: false, emptyOutDir: false },
  });
  const results: unknown[] = [];
  for (const env of Object.values(builder.environments)) results.push(await builder.build(env));
  const files = new Map<string, Uint8Array>();
  const outputs = results.flat() as { output?: { fileName: string; code?: string; source?: string | Uint8Array }[] }[];
  for (const out of outputs) {
    for (const file of out.output ?? []) {
      const body = file.code ?? file.source ?? '';
      files.set(file.fileName, typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
    }
  }
  if (!files.has(ENTRY)) throw new Error(`the build produced no ${ENTRY}`);
  return files;
}
