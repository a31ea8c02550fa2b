import path from 'node:path';
import { createBundleAssets, viteBuildInMemory, type BundleAsset, type BundleAssetResult, type BundleAssets } from '../http/bundle-assets.js';
import type { Logger } from '../logger.js';
import { PROJECT_ROOT } from '../widget/assets.js';

// The console bundles served under /console/assets/: from dist/console after `npm run build`,
// else (outside production) built once in memory with Vite (http/bundle-assets.ts).

export const CONSOLE_DIST = path.join(PROJECT_ROOT, 'dist', 'console');
const ENTRY = 'console.js';
export const CONSOLE_NOT_BUILT = 'The console is not built: run `npm run build` (it writes dist/console).';

export type ConsoleAsset = BundleAsset;
export type ConsoleAssetResult = BundleAssetResult;
export type ConsoleAssets = BundleAssets;

export function createConsoleAssets(opts: {
  production: boolean;
  log: Logger;
  distDir?: string;
  build?: () => Promise<Map<string, Uint8Array>>;
}): ConsoleAssets {
  return createBundleAssets(
    {
      label: 'console',
      distDir: opts.distDir ?? CONSOLE_DIST,
      entry: ENTRY,
      configFile: 'vite.console.config.ts',
      root: PROJECT_ROOT,
      notBuilt: CONSOLE_NOT_BUILT,
    },
    { production: opts.production, log: opts.log, ...(opts.build ? { build: opts.build } : {}) },
  );
}

export function viteBuildConsole(root: string): Promise<Map<string, Uint8Array>> {
  return viteBuildInMemory({ root, configFile: 'vite.console.config.ts', entry: ENTRY });
}
