#!/usr/bin/env node
// Runs the built server (dist/server, written by `npm run build`; what an installed package
// has) when it is there and not older than the sources, so production needs no TypeScript
// tooling. Otherwise, in a checkout without a build or with sources edited since, the TypeScript
// sources run through tsx (a devDependency), so `npm install && npm start` needs no build step
// and a stale build is never run by mistake.
import { existsSync, readdirSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const built = new URL('dist/server/cli.js', root);
const sourceDirs = ['server/src', 'shared', 'demo'].map((d) => new URL(d, root));

/** The newest modification time of a file under dir (0 when dir is missing). */
function newest(dir) {
  let max = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) max = Math.max(max, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs);
  }
  return max;
}

function useBuild() {
  if (!existsSync(built)) return false;
  const sources = sourceDirs.filter((d) => existsSync(d));
  // An installed package ships no sources: the build is all there is.
  if (sources.length === 0) return true;
  const builtAt = statSync(built).mtimeMs;
  return sources.every((d) => newest(d) <= builtAt);
}

let main;
if (useBuild()) {
  ({ main } = await import(built.href));
} else {
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    console.error('veriframe: no build in dist/server and tsx is not installed: run `npm run build` (or `npm install` for development)');
    process.exit(1);
  }
  ({ main } = await import('../server/src/cli/index.ts'));
}
process.exitCode = await main(process.argv.slice(2));
