#!/usr/bin/env node
// Runs the whole suite: Node tests (server, security, end-to-end) with `node --test` on an
// explicit file list (Node 20 neither expands globs nor fails on zero tests), then the widget
// tests in Chromium with @web/test-runner. Ends with one line: "N passed, M failed".
//
//   npm test                       everything
//   npm test -- server             only the Node tests
//   npm test -- widget             only the browser tests
//   npm test -- test/server/config.test.ts   just these files
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const files = args.filter((a) => a.endsWith('.ts'));
const parts = new Set(args.filter((a) => !a.endsWith('.ts')));
const wants = (part) => (files.length ? false : parts.size === 0 || parts.has(part));

function findTests(dir, skip = []) {
  const out = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (!skip.includes(p)) walk(p);
      } else if (entry.name.endsWith('.test.ts')) out.push(path.relative(root, p));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out.sort();
}

function run(cmd, cmdArgs, env, onLine) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      lines.forEach(onLine);
    });
    child.on('close', (code, signal) => {
      if (buffered) onLine(buffered);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const totals = { passed: 0, failed: 0, skipped: 0 };
let failedRun = false;

async function nodeTests(list) {
  if (!list.length) {
    console.error('no Node test files found');
    failedRun = true;
    return;
  }
  const counts = { pass: 0, fail: 0, skipped: 0, tests: 0 };
  const concurrency = Math.max(2, os.availableParallelism?.() ?? 2);
  const code = await run(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=600000', '--test-reporter=spec', ...list],
    {},
    (line) => {
      // The spec reporter ends with "ℹ tests N", "ℹ pass N", "ℹ fail N", "ℹ skipped N".
      const m = /^\S+ (tests|pass|fail|skipped) (\d+)$/.exec(line.trim());
      if (m) counts[m[1]] = Number(m[2]);
    },
  );
  if (counts.tests === 0) {
    console.error('node --test ran no tests');
    failedRun = true;
  }
  totals.passed += counts.pass;
  totals.failed += counts.fail;
  totals.skipped += counts.skipped;
  if (code !== 0 && counts.fail === 0) {
    // A crash outside any test (a file that fails to import) still fails the run.
    totals.failed += 1;
    failedRun = true;
  }
}

async function widgetTests() {
  const summaryFile = path.join(os.tmpdir(), `veriframe-wtr-${process.pid}.json`);
  fs.rmSync(summaryFile, { force: true });
  const code = await run(
    process.execPath,
    [path.join(root, 'node_modules/@web/test-runner/dist/bin.js'), '--config', 'web-test-runner.config.mjs'],
    { WTR_SUMMARY_FILE: summaryFile },
    () => {},
  );
  const summary = fs.existsSync(summaryFile) ? JSON.parse(fs.readFileSync(summaryFile, 'utf8')) : undefined;
  fs.rmSync(summaryFile, { force: true });
  if (!summary || summary.passed + summary.failed === 0) {
    console.error('the widget test runner reported no tests');
    failedRun = true;
  }
  totals.passed += summary?.passed ?? 0;
  totals.skipped += summary?.skipped ?? 0;
  // WTR can print "0 failed" when a module fails to import: its exit code is the truth.
  totals.failed += Math.max(summary?.failed ?? 0, code !== 0 ? 1 : 0);
  if (code !== 0) failedRun = true;
}

if (files.length) {
  // Browser tests (the widget's and the console's components) run in WTR, not in node --test.
  const inBrowser = (f) => f.startsWith('test/widget/') || f.startsWith('test/console/');
  const widgetFiles = files.filter(inBrowser);
  if (widgetFiles.length) console.error('widget files run with: npx wtr --config web-test-runner.config.mjs --files <file>');
  await nodeTests(files.filter((f) => !inBrowser(f)));
}
if (wants('server')) await nodeTests(findTests(path.join(root, 'test'), [path.join(root, 'test/widget'), path.join(root, 'test/console')]));
if (wants('widget')) await widgetTests();

const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
console.log(`\ntotal: ${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exitCode = totals.failed > 0 || failedRun ? 1 : 0;
