import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { openApiDocument } from '../../scripts/openapi-document.js';

// DESIGN §14: the OpenAPI document passes `redocly lint` with the recommended rules without an
// error. Runs the dev dependency @redocly/cli offline (about 2 s) on the document as served.

const run = promisify(execFile);

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

describe('OpenAPI document under redocly lint', () => {
  it('has no error with the recommended rules', { timeout: 120_000 }, async () => {
    const pkg = createRequire(import.meta.url).resolve('@redocly/cli/package.json');
    const bin = path.join(path.dirname(pkg), (JSON.parse(await readFile(pkg, 'utf8')) as { bin: Record<string, string> }).bin.redocly!);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'veriframe-openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      await writeFile(file, JSON.stringify(await openApiDocument('https://mfa.veriframe.test')));
      // Exit status 1 when there are errors; the JSON report on stdout says which either way.
      const out = await run(process.execPath, [bin, 'lint', '--extends=recommended', '--format=json', file], {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 16 * 1024 * 1024,
      }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
      const report = JSON.parse(out.stdout) as LintReport;
      const errors = report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
      assert.deepEqual(errors, []);
      assert.equal(report.totals.errors, 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
