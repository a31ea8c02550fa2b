#!/usr/bin/env node
// Runs the whole suite: the Node tests (server, security, end-to-end) in a few worker processes
// that each run many files (scripts/test-worker.mjs), then the widget tests in Chromium with
// @web/test-runner. Ends with the suite's time and one line: "total: N passed, M failed".
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
const files = args.filter((a) => a.endsWith('.ts')).map((f) => path.relative(root, path.resolve(f)));
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

/** `1m 05s` */
const minutes = (ms) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
};

const totals = { passed: 0, failed: 0, skipped: 0 };
let failedRun = false;

// How long one test file may run before its worker is stopped and the file counted as failed
// (VERIFRAME_TEST_FILE_TIMEOUT_MS overrides): the guard against a hang outside any test. A test
// has 60 s unless it says otherwise (VERIFRAME_TEST_TIMEOUT_MS, applied in test-worker.mjs).
const fileTimeoutMs = Number(process.env.VERIFRAME_TEST_FILE_TIMEOUT_MS) || 5 * 60_000;
const testTimeoutMs = Number(process.env.VERIFRAME_TEST_TIMEOUT_MS) || 60_000;
// How long each file took last time (written after each run), to start the longest first.
const durationsFile = path.join(root, '.tmp', 'test-durations.json');

function readDurations() {
  try {
    return JSON.parse(fs.readFileSync(durationsFile, 'utf8'));
  } catch {
    return {};
  }
}

/**
 * Longest first, so no worker is left with a long file at the end: by last run's time; files
 * without one (new, or a fresh clone) come first, by size.
 */
function longestFirst(list, durations) {
  const size = (f) => fs.statSync(path.join(root, f)).size;
  return [...list].sort((a, b) => {
    const [da, db] = [durations[a], durations[b]];
    if (da === undefined || db === undefined) return da === db ? size(b) - size(a) : da === undefined ? -1 : 1;
    return db - da;
  });
}

/**
 * One worker process (scripts/test-worker.mjs) taking files from `queue` until it is empty, its
 * output printed a whole file at a time into `run` (counts, failed files, durations). Resolves
 * with the number of files it took.
 */
function runWorker(queue, run) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test-reporter=spec', path.join(root, 'scripts', 'test-worker.mjs')], {
      cwd: root,
      env: process.env,
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let current;
    let taken = 0;
    let watchdog;
    child.on('message', () => {
      clearTimeout(watchdog);
      current = queue.shift();
      child.send({ file: current });
      if (!current) return;
      taken += 1;
      watchdog = setTimeout(() => {
        console.error(`${current} ran for more than ${minutes(fileTimeoutMs)}: stopping its worker`);
        child.kill();
      }, fileTimeoutMs);
    });
    let partial = '';
    let block = [];
    const onLine = (line) => {
      block.push(line);
      // A line at column 0 that ends a file's suite, or one of the closing counts.
      const file = /^([✔✖]) (\S+\.test\.ts) \(([\d.]+)ms\)$/.exec(line);
      if (file) {
        run.durations[file[2]] = Math.round(Number(file[3]));
        if (file[1] === '✖') run.failedFiles.add(file[2]);
      }
      if (/^\s+'test timed out after \d+ms'$/.test(line)) run.timedOut = true;
      const count = /^ℹ (tests|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(line);
      if (count) run.counts[count[1]] += Number(count[2]);
      if (file || count) {
        process.stdout.write(`${block.join('\n')}\n`);
        block = [];
      }
    };
    child.stdout.on('data', (chunk) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      lines.forEach(onLine);
    });
    child.on('close', (code, signal) => {
      clearTimeout(watchdog);
      if (partial) onLine(partial);
      if (block.length) process.stdout.write(`${block.join('\n')}\n`);
      if (code !== 0) run.badExits += 1;
      // Exit code 1 after the last file is failed tests; before it, a crash that lost the file.
      if (current) {
        run.failedFiles.add(current);
        console.error(`a test worker died (${signal ?? `exit code ${code}`}) while running ${current}`);
      }
      resolve(taken);
    });
  });
}

/** The Node tests in a few long-lived workers, each taking the next file when it is free. */
async function nodeTests(list) {
  if (!list.length) {
    console.error('no Node test files found');
    failedRun = true;
    return;
  }
  const run = {
    durations: readDurations(),
    counts: { tests: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 },
    failedFiles: new Set(),
    badExits: 0,
    timedOut: false,
  };
  const queue = longestFirst(list, run.durations);
  // One worker more than there are cores (at least three): many files spend most of their time
  // waiting on a browser or a child process, so a core would otherwise sit idle.
  // VERIFRAME_TEST_WORKERS sets the number.
  const cores = os.availableParallelism?.() ?? 2;
  const workers = Math.min(queue.length, Number(process.env.VERIFRAME_TEST_WORKERS) || Math.max(3, cores + 1));
  // A worker that died with files left is replaced, unless it died before taking any.
  const lane = async () => {
    while (queue.length && (await runWorker(queue, run)) > 0);
  };
  await Promise.all(Array.from({ length: workers }, lane));
  for (const file of queue.splice(0)) {
    console.error(`not run: ${file} (the test workers could not start)`);
    run.failedFiles.add(file);
  }

  fs.mkdirSync(path.dirname(durationsFile), { recursive: true });
  const kept = Object.fromEntries(Object.entries(run.durations).filter(([f]) => fs.existsSync(path.join(root, f))));
  fs.writeFileSync(durationsFile, `${JSON.stringify(kept, null, 1)}\n`);
  const { counts } = run;
  if (counts.tests === 0) {
    console.error('the Node tests ran no test');
    failedRun = true;
  }
  totals.passed += counts.pass;
  totals.skipped += counts.skipped + counts.todo;
  // A file that failed to load fails its suite without failing a test: it still counts.
  const failed = Math.max(counts.fail + counts.cancelled, run.failedFiles.size);
  totals.failed += failed || (run.badExits ? 1 : 0);
  if (run.badExits) failedRun = true;
  if (run.timedOut) console.error(`some tests timed out (${testTimeoutMs} ms each); on a busy machine raise VERIFRAME_TEST_TIMEOUT_MS`);
}

async function widgetTests(list = []) {
  const summaryFile = path.join(os.tmpdir(), `veriframe-wtr-${process.pid}.json`);
  fs.rmSync(summaryFile, { force: true });
  const code = await run(
    process.execPath,
    [path.join(root, 'node_modules/@web/test-runner/dist/bin.js'), '--config', 'web-test-runner.config.mjs', ...(list.length ? ['--files', ...list] : [])],
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

const started = Date.now();
const phases = [];
async function timed(name, work) {
  const t0 = Date.now();
  await work();
  phases.push(`${name} ${minutes(Date.now() - t0)}`);
}

// The server bundle (dist/server, esbuild, under a second): the tests that start real `veriframe`
// processes then run it instead of loading the TypeScript sources through tsx in every process
// (bin/veriframe.js takes the build when it is not older than the sources), about 1.4 s of CPU
// less per process.
async function buildServer() {
  const code = await run(process.execPath, [path.join(root, 'scripts', 'build.mjs')], {}, () => {});
  if (code !== 0) console.error('building dist/server failed: the processes the tests start load the sources through tsx');
}

if (files.length || wants('server')) await timed('build', buildServer);
if (files.length) {
  // Browser tests (the widget's and the console's components) run in WTR, not in node --test.
  const inBrowser = (f) => f.startsWith('test/widget/') || f.startsWith('test/console/');
  const widgetFiles = files.filter(inBrowser);
  const nodeFiles = files.filter((f) => !inBrowser(f));
  if (nodeFiles.length) await timed('Node', () => nodeTests(nodeFiles));
  if (widgetFiles.length) await timed('widget', () => widgetTests(widgetFiles));
}
if (wants('server'))
  await timed('Node', () => nodeTests(findTests(path.join(root, 'test'), [path.join(root, 'test/widget'), path.join(root, 'test/console')])));
if (wants('widget')) await timed('widget', () => widgetTests());

const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
console.log(`\nsuite time: ${minutes(Date.now() - started)} (${phases.join(', ')})`);
console.log(`total: ${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exitCode = totals.failed > 0 || failedRun ? 1 : 0;
