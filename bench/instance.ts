// One more server process on the bench's PostgreSQL schema (the two-instance OTP run of
// otp-verify.ts): the real application as benchApp builds it, on a pool of its own, served on
// 127.0.0.1. Prints `listening <origin>` once it serves; ends on SIGTERM or when stdin closes
// (the bench process that started it died).
import { openDatabase } from '../server/src/db/index.js';
import { benchApp, serveLocal } from './setup.js';

const { BENCH_INSTANCE_URL: url, BENCH_INSTANCE_SCHEMA: schema, BENCH_INSTANCE_KEY: key } = process.env;
if (!url || !schema || !key) throw new Error('bench/instance.ts: BENCH_INSTANCE_URL, BENCH_INSTANCE_SCHEMA and BENCH_INSTANCE_KEY are needed');
const handle = await openDatabase({ kind: 'postgres', url }, { schema });
const served = await serveLocal(benchApp(handle.db, url, Buffer.from(key, 'base64')).fetch);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await served.close();
  await handle.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
console.log(`listening ${served.origin}`);
