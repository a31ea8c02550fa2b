import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import assert from 'node:assert/strict';
import { isDeliveryError, type DeliveryError } from '../../../server/src/delivery/types.js';
import { createLogger, type Logger } from '../../../server/src/logger.js';

export interface ReceivedRequest {
  method: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A real HTTP webhook receiver on 127.0.0.1. `respond(n)` picks the answer to the n-th request
 * (1-based): a status code, or 'hang' to never answer (a timeout for the sender).
 */
export async function startReceiver(respond: (n: number) => number | 'hang') {
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = respond(requests.length);
      if (answer === 'hang') return;
      res.writeHead(answer, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A logger whose JSON lines are kept, to check what was (and was not) logged. */
export function captureLog(level = 'debug'): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  return { log: createLogger(level, stream), lines };
}

/** Waits until pino's asynchronous writes have reached `lines`. */
export const flushLog = () => new Promise<void>((resolve) => setImmediate(resolve));

export const noSleep = async (_ms: number) => {};

/** The DeliveryError a failed send rejects with; fails the test on success or another error. */
export async function rejection(p: Promise<unknown>): Promise<DeliveryError> {
  try {
    await p;
  } catch (err) {
    assert.ok(isDeliveryError(err), `expected a delivery error, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the send to fail');
}
