#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so `npx veriframe` works right after `npm install`
// without a separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../server/src/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
