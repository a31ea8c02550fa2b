// Which Chromium the tests (WTR, end-to-end, security) and `npm run screenshots` start, and
// with which flags. Plain JavaScript so that web-test-runner.config.mjs can import it too.
// Nothing here downloads a browser: it is the one named by the environment, the system's, or
// the one shipped inside the `@sparticuz/chromium` dev dependency.
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress } from 'node:zlib';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/**
 * Flags for every launch: root in a container needs --no-sandbox; the rest keeps a headless
 * test browser quiet and off the network. @sparticuz/chromium's own `args` are meant for AWS
 * Lambda (--single-process, --disable-web-security, no site isolation) and are not used: the
 * tests need a browser as close to a user's as possible, cross-origin iframes included.
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/**
 * The Chromium executable, first found of:
 * 1. `CHROMIUM_PATH`, or `CHROME_PATH` (the name Web Test Runner's docs use);
 * 2. the system's `/usr/bin/chromium` (`VERIFRAME_TEST_NO_SYSTEM_CHROMIUM=1` skips it, to test 3);
 * 3. the headless Chromium inside the `@sparticuz/chromium` package, unpacked once.
 * @param {NodeJS.ProcessEnv} [env]
 * @param {string} [systemPath]
 * @returns {Promise<string>}
 */
export async function chromiumExecutable(env = process.env, systemPath = SYSTEM_CHROMIUM) {
  const named = env.CHROMIUM_PATH || env.CHROME_PATH;
  if (named) {
    if (!existsSync(named)) throw new Error(`CHROMIUM_PATH/CHROME_PATH names ${named}, which does not exist`);
    return named;
  }
  if (!env.VERIFRAME_TEST_NO_SYSTEM_CHROMIUM && existsSync(systemPath)) return systemPath;
  return packagedChromium();
}

/**
 * Unpacks the package's brotli-compressed Chromium into `$TMPDIR/veriframe-chromium-<version>/`
 * (about 2 s, once per machine and package version). The package's own `executablePath()` is
 * not used: it writes to the fixed `$TMPDIR/chromium`, which test processes started together
 * would write at the same time and which outlives an upgrade of the package. Here each process
 * unpacks into a directory of its own and renames it into place, so the first one wins whole.
 * Only the browser is unpacked; the package's fonts and SwiftShader are for Lambda (the
 * system's fonts are used, and the GPU is off).
 */
async function packagedChromium() {
  let entry;
  try {
    entry = fileURLToPath(import.meta.resolve('@sparticuz/chromium'));
  } catch {
    throw new Error(`no Chromium: ${SYSTEM_CHROMIUM} is missing and @sparticuz/chromium is not installed (run npm install, or set CHROMIUM_PATH)`);
  }
  const pkgDir = path.resolve(path.dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const dir = path.join(os.tmpdir(), `veriframe-chromium-${version}`);
  const exe = path.join(dir, 'chromium');
  if (existsSync(exe)) return exe;
  const partial = await mkdtemp(`${dir}-partial-`);
  await chmod(partial, 0o755); // usable by other users of the machine, like the system's
  try {
    await pipeline(
      createReadStream(path.join(pkgDir, 'bin', 'chromium.br')),
      createBrotliDecompress(),
      createWriteStream(path.join(partial, 'chromium'), { mode: 0o755 }),
    );
    await rename(partial, dir);
  } catch (err) {
    // Another process renamed its copy into place first: use that one.
    if (!existsSync(exe)) throw err;
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  return exe;
}
