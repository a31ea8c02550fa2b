// DESIGN §15: `npm pack`, then `npm install <tarball>` in an empty folder, and `npx veriframe
// serve` answers — from the build alone, with no TypeScript tooling and no @scalar package in the
// installed tree, which stays under 80 MB. The package is built from the current sources into a
// folder of its own (Vite and scripts/build.mjs with another output folder), so the test never
// runs a stale dist/ and never rewrites the dist/ that other tests serve from. Installing fetches
// the production dependencies from the npm cache or the registry: about 15 s with a warm cache.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { freePort, repoRoot } from '../helpers/process.js';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const BUILT = ['dist/server/cli.js', 'dist/widget/embed.js', 'dist/widget/frame.js', 'dist/docs/scalar.js'];
const MB = 1024 * 1024;

let dir: string;
let tarball: string;
let packed: string[];

before(
  async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'veriframe-pack-'));
    // The package folder as `npm pack` sees it in a built clone: package.json, bin/ and dist/.
    const stage = path.join(dir, 'stage');
    await mkdir(path.join(stage, 'bin'), { recursive: true });
    for (const f of ['package.json', 'README.md', 'bin/veriframe.js']) await copyFile(path.join(repoRoot, f), path.join(stage, f));
    const build = { cwd: repoRoot, timeout: 180_000, maxBuffer: 16 * MB };
    await run(
      process.execPath,
      [path.join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--outDir', path.join(stage, 'dist/widget')],
      build,
    );
    await run(
      process.execPath,
      [
        path.join(repoRoot, 'node_modules/vite/bin/vite.js'),
        'build',
        '-c',
        'vite.console.config.ts',
        '--logLevel',
        'warn',
        '--outDir',
        path.join(stage, 'dist/console'),
      ],
      build,
    );
    await run(
      process.execPath,
      [
        path.join(repoRoot, 'node_modules/vite/bin/vite.js'),
        'build',
        '-c',
        'vite.app.config.ts',
        '--logLevel',
        'warn',
        '--outDir',
        path.join(stage, 'dist/app'),
      ],
      build,
    );
    await run(process.execPath, [path.join(repoRoot, 'scripts/build.mjs'), '--out-dir', path.join(stage, 'dist')], build);
    // --ignore-scripts: prepack would run `npm run build`, which writes the checkout's dist/.
    const { stdout } = await run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: stage, timeout: 60_000, maxBuffer: 16 * MB });
    const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(dir, info!.filename);
    packed = info!.files.map((f) => f.path);
  },
  { timeout: 240_000 },
);

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the tarball holds the CLI and the build, and no tests or sources', async () => {
  for (const f of ['package.json', 'bin/veriframe.js', ...BUILT, 'dist/server/hardware-tokens.csv']) assert.ok(packed.includes(f), `${f} is packed`);
  // What `files` lets in from the whole checkout, where tests and sources are all present.
  const { stdout } = await run(npm, ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: repoRoot, timeout: 60_000, maxBuffer: 16 * MB });
  const [info] = JSON.parse(stdout) as { files: { path: string }[] }[];
  const fromCheckout = info!.files.map((f) => f.path);
  assert.ok(fromCheckout.includes('bin/veriframe.js'));
  assert.deepEqual(
    fromCheckout.filter((f) => !/^(bin\/|dist\/|package\.json$|README\.md$|LICENSE)/.test(f)),
    [],
    'only bin/, dist/, package.json and README.md',
  );
});

/** Bytes of the files under dir (what `du` would count, without block rounding). */
async function treeSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

test('installed from the tarball into an empty folder, `npx veriframe serve` answers', { timeout: 300_000 }, async (t) => {
  const app = path.join(dir, 'app');
  await run('mkdir', [app]);
  await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'veriframe-install-check', private: true }));
  await run(npm, ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: app, timeout: 240_000, maxBuffer: 16 * MB });

  const modules = path.join(app, 'node_modules');
  for (const absent of ['tsx', 'typescript', 'vite', '@scalar']) assert.equal(existsSync(path.join(modules, absent)), false, `${absent} is not installed`);
  const size = await treeSize(modules);
  t.diagnostic(`installed tree (the package and its production dependencies): ${(size / MB).toFixed(1)} MB`);
  assert.ok(size < 80 * MB, `production tree is ${(size / MB).toFixed(1)} MB`);

  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: 'pglite://memory',
    VERIFRAME_DATA_DIR: path.join(dir, 'data'),
  };
  // Its own process group, so that npx and the server it starts stop together.
  const child = spawn('npx', ['--no', 'veriframe', 'serve'], { cwd: app, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not started within 60 s: ${output}`)), 60_000);
      const check = () => output.includes('Stop with Ctrl+C') && (clearTimeout(timer), resolve());
      child.stdout.on('data', check);
      void exited.then((code) => (clearTimeout(timer), reject(new Error(`exited with ${code}: ${output}`))));
    });
    const base = `http://127.0.0.1:${port}`;
    const health = await fetch(`${base}/healthz`);
    assert.equal(health.status, 200);
    const docs = await fetch(`${base}/docs`);
    assert.equal(docs.status, 200);
    assert.match(await docs.text(), /\/docs\/scalar\.js/);
    const viewer = await fetch(`${base}/docs/scalar.js`);
    assert.equal(viewer.status, 200);
    assert.ok((await viewer.arrayBuffer()).byteLength > 100_000, 'the docs viewer bundle is served');
    const embed = await fetch(`${base}/embed.js`);
    assert.equal(embed.status, 200);
    assert.match(embed.headers.get('content-type') ?? '', /javascript/);
    assert.ok((await embed.text()).length > 100);
    // The console page and its entry bundle, from dist/console (production builds nothing in memory).
    const consolePage = await fetch(`${base}/console/`);
    assert.equal(consolePage.status, 200);
    const consoleEntry = await fetch(`${base}/console/assets/console.js`);
    assert.equal(consoleEntry.status, 200, 'the console bundle is in the package');
    // The authenticator app and its service worker, from dist/app.
    for (const file of ['/app/', '/app/assets/app.js', '/app/sw.js']) assert.equal((await fetch(`${base}${file}`)).status, 200, `${file} is in the package`);
  } finally {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    await exited;
  }
});
