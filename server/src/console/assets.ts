import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { PROJECT_ROOT } from '../widget/assets.js';

// The console bundles served under /console/assets/: from dist/console after `npm run build`,
// else (outside production) built once in memory with Vite, as the widget's are (see
// widget/assets.ts), so `npm start` on a fresh clone serves the console without a build step.

export const CONSOLE_DIST = path.join(PROJECT_ROOT, 'dist', 'console');
const ENTRY = 'console.js';
const SAFE_NAME = /^(?:chunks\/)?[A-Za-z0-9_-][A-Za-z0-9_.-]*\.js$/;
export const CONSOLE_NOT_BUILT = 'The console is not built: run `npm run build` (it writes dist/console).';

export interface ConsoleAsset {
  body: Uint8Array;
  etag: string;
}
export type ConsoleAssetResult = { asset: ConsoleAsset } | { missing: true } | { unavailable: string };
export interface ConsoleAssets {
  get(name: string): Promise<ConsoleAssetResult>;
}

const asset = (body: Uint8Array): ConsoleAsset => ({ body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` });

export function createConsoleAssets(opts: {
  production: boolean;
  log: Logger;
  distDir?: string;
  build?: () => Promise<Map<string, Uint8Array>>;
}): ConsoleAssets {
  const distDir = opts.distDir ?? CONSOLE_DIST;
  const build = opts.build ?? (() => viteBuildConsole(PROJECT_ROOT));
  let built: Promise<Map<string, Uint8Array>> | undefined;
  const devBuild = () =>
    (built ??= build().then(
      (files) => {
        opts.log.info({ files: files.size }, 'console built in memory (development; `npm run build` writes dist/console)');
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
      const file = path.join(distDir, name);
      if ((await stat(file).catch(() => undefined))?.isFile()) return { asset: asset(await readFile(file)) };
      if ((await stat(path.join(distDir, ENTRY)).catch(() => undefined))?.isFile()) return { missing: true };
      if (opts.production) return { unavailable: CONSOLE_NOT_BUILT };
      try {
        const body = (await devBuild()).get(name);
        return body ? { asset: asset(body) } : { missing: true };
      } catch (err) {
        opts.log.error({ err: { message: (err as Error).message } }, 'the console could not be built in memory');
        return { unavailable: `${CONSOLE_NOT_BUILT} Building it in memory failed: ${(err as Error).message.split('\n')[0]}` };
      }
    },
  };
}

export async function viteBuildConsole(root: string): Promise<Map<string, Uint8Array>> {
  const vite = await import('vite').catch(() => {
    throw new Error('Vite is not installed (it is a devDependency: run `npm install`)');
  });
  const result = await vite.build({
    root,
    configFile: path.join(root, 'vite.console.config.ts'),
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
  if (!files.has(ENTRY)) throw new Error(`the console build produced no ${ENTRY}`);
  return files;
}
