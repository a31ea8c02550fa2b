import path from 'node:path';
import { createBundleAssets, type BundleAssets } from '../http/bundle-assets.js';
import type { Logger } from '../logger.js';
import { BUILD_DIR, PACKAGE_ROOT } from '../paths.js';

// The authenticator app's bundles (app.js, chunks/, sw.js): dist/app after `npm run build`, else
// (outside production) built once in memory with Vite from vite.app.config.ts.

export const APP_DIST = path.join(BUILD_DIR, 'app');
export const APP_NOT_BUILT = 'The authenticator app is not built: run `npm run build` (it writes dist/app).';

export function createAppAssets(opts: { production: boolean; log: Logger; distDir?: string; build?: () => Promise<Map<string, Uint8Array>> }): BundleAssets {
  return createBundleAssets(
    {
      label: 'authenticator app',
      distDir: opts.distDir ?? APP_DIST,
      entry: 'app.js',
      configFile: 'vite.app.config.ts',
      root: PACKAGE_ROOT,
      notBuilt: APP_NOT_BUILT,
    },
    { production: opts.production, log: opts.log, ...(opts.build ? { build: opts.build } : {}) },
  );
}
