// `npm run build`, after `vite build` (the widget bundles in dist/widget): the server and the
// docs viewer's bundle, so that an installed package runs without TypeScript tooling and without
// the 190 MB of @scalar packages (devDependencies).
//   dist/server/cli.js (+ chunks)  the server and CLI, one ES module bundle of server/, shared/
//                                  and demo/ (loaded only by `serve --demo`); the packages in
//                                  "dependencies" stay imports, resolved from node_modules
//   dist/server/hardware-tokens.csv  read by the demo beside its code
//   dist/docs/scalar.js            the API reference page's browser bundle (GET /docs/scalar.js)
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
// --out-dir DIR writes DIR/server and DIR/docs instead of dist/ (test/ops/pack.test.ts builds
// into a folder of its own, leaving the checkout's dist/ to the tests that serve from it).
const { values: args } = parseArgs({ options: { 'out-dir': { type: 'string' } } });
const dist = path.resolve(root, args['out-dir'] ?? 'dist');
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
const outdir = path.join(dist, 'server');

// Every package stays external except two devDependencies whose few kB of code the bundle takes
// in: @scalar/* (the /docs page's HTML; its browser bundle is copied below) and
// kysely-pglite-dialect (its peer range stops at PGlite 0.4, so as a dependency of an installed
// package it would pull in a second, 26 MB PGlite; the root's "overrides" apply only here). Vite
// stays external: the server imports it only when the widget is not built, outside production.
const bundled = (name) => name.startsWith('@scalar/') || name === 'kysely-pglite-dialect';
const external = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)].filter((n) => !bundled(n)).flatMap((n) => [n, `${n}/*`]);

await rm(outdir, { recursive: true, force: true });
const started = Date.now();
await build({
  absWorkingDir: root,
  entryPoints: { cli: 'server/src/cli/index.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  chunkNames: 'chunk-[hash]',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
await copyFile(path.join(root, 'demo', 'hardware-tokens.csv'), path.join(outdir, 'hardware-tokens.csv'));

const docsDir = path.join(dist, 'docs');
await mkdir(docsDir, { recursive: true });
const scalarMain = createRequire(import.meta.url).resolve('@scalar/api-reference');
await copyFile(path.join(path.dirname(scalarMain), 'browser', 'standalone.js'), path.join(docsDir, 'scalar.js'));
const shown = (dir) => (path.relative(root, dir).startsWith('..') ? dir : path.relative(root, dir));
console.log(`veriframe build: ${shown(outdir)} and ${shown(docsDir)} in ${Date.now() - started} ms`);
