// One Node test process of `npm test`, started by scripts/test.js as
//   node --import tsx --test-reporter=spec scripts/test-worker.mjs
// It asks its parent (over the IPC channel) for one test file at a time and runs it as a suite
// named after the file, until the parent has none left. So TypeScript loading, the server's
// modules and the PGlite instance are paid once per worker instead of once per file, and the
// parent hands the next file to whichever worker is free. The files of one worker run one at a
// time (node:test runs top-level suites in order), which the shared PGlite needs: it has one
// session, so one search_path.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { holdPglite } from '../test/helpers/db.ts';

const root = path.resolve(import.meta.dirname, '..');

// A default timeout for every test (`it`, `test`) that has none of its own and is not inside a
// suite that set one (Node 20 applies --test-timeout only to the processes of `node --test`).
// The functions the test files import are wrapped before any file is loaded: through require,
// because once this module imported node:test as ESM, syncBuiltinESMExports would not reach it.
const testTimeoutMs = Number(process.env.VERIFRAME_TEST_TIMEOUT_MS) || 60_000;
const nodeTest = createRequire(import.meta.url)('node:test');
const optionsAt = (args) => args.findIndex((a) => a !== null && typeof a === 'object');
// Timeouts of the suites being built, innermost last (node:test builds a suite synchronously).
const suiteTimeouts = [];

function withDefaultTimeout(original) {
  const wrapped = function (...args) {
    const at = optionsAt(args);
    if (at >= 0 && args[at].timeout !== undefined) return original.apply(this, args);
    if (suiteTimeouts.length) return original.apply(this, args); // inherits its suite's
    if (at >= 0) args[at] = { ...args[at], timeout: testTimeoutMs };
    else args.splice(typeof args[0] === 'string' ? 1 : 0, 0, { timeout: testTimeoutMs });
    return original.apply(this, args);
  };
  return Object.assign(wrapped, original);
}

function noticingTimeout(original) {
  const wrapped = function (...args) {
    const timeout = args[optionsAt(args)]?.timeout;
    const fnAt = args.findIndex((a) => typeof a === 'function');
    if (timeout !== undefined && fnAt >= 0) {
      const build = args[fnAt];
      args[fnAt] = function (...a) {
        suiteTimeouts.push(timeout);
        try {
          return build.apply(this, a);
        } finally {
          suiteTimeouts.pop();
        }
      };
    }
    return original.apply(this, args);
  };
  return Object.assign(wrapped, original);
}

nodeTest.it = withDefaultTimeout(nodeTest.it);
nodeTest.test = withDefaultTimeout(nodeTest.test);
nodeTest.describe = noticingTimeout(nodeTest.describe);
syncBuiltinESMExports();
const { after, describe } = nodeTest;

/** The next file (relative to the project root) from the parent, or undefined when done. */
const nextFile = () =>
  new Promise((resolve) => {
    process.once('message', (message) => resolve(message?.file));
    process.send({ ready: true });
  });

const releasePglite = holdPglite();
for (let file = await nextFile(); file; file = await nextFile()) {
  // The next file is asked for once this one's suite has run (its `after` hook), or at once
  // when it fails to load.
  await new Promise((done) => {
    describe(file, async () => {
      after(() => done());
      try {
        await import(pathToFileURL(path.join(root, file)).href);
      } catch (err) {
        done();
        throw err;
      }
    });
  });
}
process.disconnect();
await releasePglite();
