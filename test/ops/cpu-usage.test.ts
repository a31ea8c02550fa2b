// The bench's CPU count (bench/cpu-usage.ts): per-request arithmetic, and on Linux that a load
// generator's thread is counted as load, not as one of the server process's helpers.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { cpuPer, startCpuCount, type CpuUse } from '../../bench/cpu-usage.js';

const use = (n: number): CpuUse => ({ serverMs: n, loadMs: 2 * n, helpersMs: 3 * n, postgresMs: 4 * n, machineMs: 10 * n });

describe('bench CPU count', () => {
  it('divides the sum of segments by the requests', () => {
    assert.deepEqual(cpuPer([use(10), use(30)], 4), use(10));
  });

  it('reports nothing when a segment was not counted or nothing was done', () => {
    assert.equal(cpuPer([use(10), undefined], 4), undefined);
    assert.equal(cpuPer([use(10)], 0), undefined);
    assert.equal(cpuPer([], 1), undefined);
  });

  // A worker that spins until the kernel has charged it 5 clock ticks (50 ms) of its own CPU:
  // waits for the work to have happened, not for a time.
  const spinner = `
    const { parentPort } = require('node:worker_threads');
    const fs = require('node:fs');
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    const ticks = () => { const s = fs.readFileSync('/proc/thread-self/stat', 'utf8'); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); return Number(f[11]) + Number(f[12]); };
    parentPort.postMessage(tid);
    parentPort.on('message', () => { const from = ticks(); while (ticks() < from + 5) {} parentPort.postMessage('done'); });`;

  const spinIn = async (asLoad: boolean) => {
    const worker = new Worker(spinner, { eval: true });
    try {
      const [tid] = (await once(worker, 'message')) as [number];
      const stop = startCpuCount(new Set(asLoad ? [tid] : []));
      worker.postMessage('spin');
      await once(worker, 'message');
      return stop();
    } finally {
      await worker.terminate();
    }
  };

  it('counts a load thread as load and any other thread as a helper (Linux: /proc)', async () => {
    const load = (await spinIn(true))!;
    assert.ok(load.loadMs >= 50, `load ${load.loadMs} ms`);
    assert.ok(load.helpersMs < load.loadMs, `helpers ${load.helpersMs} ms, load ${load.loadMs} ms`);
    const helper = (await spinIn(false))!;
    assert.equal(helper.loadMs, 0);
    assert.ok(helper.helpersMs >= 50, `helpers ${helper.helpersMs} ms`);
    assert.ok(helper.machineMs >= 40, `machine ${helper.machineMs} ms`);
  });
});
