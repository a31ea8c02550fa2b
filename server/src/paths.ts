import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The package's root (the folder with package.json: the clone, or node_modules/veriframe once
// installed), found by walking up from this module, because the module sits at a different depth
// when run from the sources (server/src/) than from the bundle `npm run build` writes (dist/server/).
function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = packageRoot(path.dirname(fileURLToPath(import.meta.url)));
/** What `npm run build` writes: dist/server (the server), dist/widget, dist/docs. */
export const BUILD_DIR = path.join(PACKAGE_ROOT, 'dist');
