// Web Test Runner reporter that writes machine-readable totals for scripts/test.js.
// WTR's own summary line only counts tests that ran, so a file that fails to import shows as
// "N passed, 0 failed"; here any failed session contributes at least one failure.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** @typedef {{ passed: number, failed: number, skipped: number }} Counts */

/** @param {{ suites?: any[], tests?: any[] } | undefined} suite @param {Counts} counts */
function walk(suite, counts) {
  if (!suite) return;
  for (const test of suite.tests ?? []) {
    if (test.skipped) counts.skipped += 1;
    else if (test.passed) counts.passed += 1;
    else counts.failed += 1;
  }
  for (const child of suite.suites ?? []) walk(child, counts);
}

/** @param {any[]} sessions @returns {Counts} */
export function summarize(sessions) {
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const session of sessions) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    walk(session.testResults, counts);
    // Import errors, uncaught errors outside tests, 404s that fail the file, browser crashes:
    // the session failed although no test did.
    const sessionFailed = session.passed === false || (session.errors?.length ?? 0) > 0;
    if (sessionFailed && counts.failed === 0) counts.failed = 1;
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  return total;
}

/** @param {{ file?: string }} [options] @returns {import('@web/test-runner').Reporter} */
export function summaryFileReporter(options = {}) {
  const file = options.file ?? process.env.WTR_SUMMARY_FILE;
  return {
    onTestRunFinished({ sessions }) {
      if (!file) return;
      const path = resolve(file);
      mkdirSync(dirname(path), { recursive: true });
      // Synchronous on purpose: WTR may exit right after the run finishes.
      writeFileSync(path, `${JSON.stringify(summarize(sessions))}\n`);
    },
  };
}

export default summaryFileReporter;
