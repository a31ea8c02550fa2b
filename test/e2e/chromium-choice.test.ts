import assert from 'node:assert/strict';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { chromiumExecutable } from '../helpers/chromium.mjs';

// Which browser the tests start (README, "Test it"): the environment's, else the system's, else
// the one inside @sparticuz/chromium, so `npm install && npm test` needs no system package.

describe('choice of Chromium', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vf-chromium-choice-'));
  const named = path.join(dir, 'named');
  const system = path.join(dir, 'system');
  writeFileSync(named, '');
  writeFileSync(system, '');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('takes CHROMIUM_PATH first, then CHROME_PATH, over the system browser', async () => {
    assert.equal(await chromiumExecutable({ CHROMIUM_PATH: named, CHROME_PATH: system }, system), named);
    assert.equal(await chromiumExecutable({ CHROME_PATH: named }, system), named);
  });

  it('refuses a named browser that does not exist', async () => {
    await assert.rejects(chromiumExecutable({ CHROMIUM_PATH: path.join(dir, 'missing') }, system), /does not exist/);
  });

  it('takes the system browser when nothing is named', async () => {
    assert.equal(await chromiumExecutable({}, system), system);
  });

  it("falls back to @sparticuz/chromium's browser, unpacked and executable", async () => {
    for (const exe of [
      await chromiumExecutable({}, path.join(dir, 'no-system')),
      await chromiumExecutable({ VERIFRAME_TEST_NO_SYSTEM_CHROMIUM: '1' }, system),
    ]) {
      assert.match(exe, /veriframe-chromium-[\d.]+[\\/]chromium$/);
      accessSync(exe, constants.X_OK);
    }
  });
});
