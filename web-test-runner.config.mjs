import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { summaryFileReporter } from './scripts/wtr-summary-reporter.mjs';
import { CHROMIUM_FLAGS, chromiumExecutable } from './test/helpers/chromium.mjs';

const tsconfig = fileURLToPath(new URL('./tsconfig.json', import.meta.url));

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  rootDir: fileURLToPath(new URL('.', import.meta.url)),
  files: ['test/widget/**/*.test.ts', 'test/console/**/*.test.ts', 'test/app/**/*.test.ts'],
  nodeResolve: true,
  plugins: [esbuildPlugin({ ts: true, tsconfig, target: 'es2022' })],
  // CHROMIUM_PATH/CHROME_PATH, else the system Chromium, else @sparticuz/chromium's (see
  // test/helpers/chromium.mjs); nothing is downloaded.
  browsers: [chromeLauncher({ launchOptions: { executablePath: await chromiumExecutable(), headless: true, args: CHROMIUM_FLAGS } })],
  // Dev-mode Lit in tests is wanted (it warns about misuse); its banner on every file is not.
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  reporters: [defaultReporter(), summaryFileReporter()],
};
