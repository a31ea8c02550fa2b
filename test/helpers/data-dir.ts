import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './process.js';

// An embedded database directory that is already initialised and migrated, for the tests that
// start real `veriframe` processes but are not about a first start. PGlite's initdb costs about
// four seconds of CPU per new directory; here it is paid once per test process (a worker of
// `npm test` runs many files), by a real `veriframe migrate`, and each test gets a copy of that
// cleanly closed cluster. The tests of a first start (test/server/cli.test.ts,
// test/reliability/embedded-disk.test.ts) keep an empty directory. The copy has no master.key:
// the first `serve` on it makes one, as on any install that ran `migrate` before `serve`.

let template: Promise<string> | undefined;

function makeTemplate(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veriframe-template-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const cli = runCli(['migrate'], { VERIFRAME_DATA_DIR: dir });
  return cli.exited.then((code) => {
    assert.equal(code, 0, `veriframe migrate for the template data directory: ${cli.output().stderr}`);
    return dir;
  });
}

/** Fills `dir` (created if missing; must be empty) with a migrated embedded database. */
export async function migratedDataDir(dir: string): Promise<string> {
  template ??= makeTemplate();
  fs.cpSync(await template, dir, { recursive: true });
  return dir;
}
