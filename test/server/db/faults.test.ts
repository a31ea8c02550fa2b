import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { isDatabaseUnavailable } from '../../../server/src/db/faults.js';
import { onError } from '../../../server/src/http/errors.js';
import { createLogger } from '../../../server/src/logger.js';

// What counts as "the database is away" (503 database_unavailable), and what stays the client's
// 4xx or our 500. The shapes are those node-postgres, pg-pool, Node and PGlite really produce.

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code, severity: 'FATAL' });

describe('database faults', () => {
  it('recognises outages by SQLSTATE, socket error, driver message and PGlite failure', () => {
    const outages: unknown[] = [
      pgError('57P01', 'terminating connection due to administrator command'),
      pgError('57P03', 'the database system is starting up'),
      pgError('08006'),
      pgError('53300', 'sorry, too many clients already'),
      pgError('53100', 'could not extend file "base/5/16384_fsm": No space left on device'),
      pgError('58030'),
      pgError('42501', 'could not open file "base/5/2691": Permission denied'),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', errno: -111 }),
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Client has encountered a connection error and is not queryable'),
      new Error('driver has already been destroyed'),
      Object.assign(new Error(), { name: 'ErrnoError', errno: 51 }),
      Object.assign(new Error('Aborted()'), { name: 'RuntimeError' }),
      new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' }), Object.assign(new Error('b'), { code: 'ECONNREFUSED' })]),
      new Error('wrapped', { cause: pgError('57P01') }),
    ];
    for (const err of outages) assert.equal(isDatabaseUnavailable(err), true, String((err as Error).message || (err as Error).name));
  });

  it('leaves query errors, permissions on tables and anything else alone', () => {
    const others: unknown[] = [
      pgError('23505', 'duplicate key value violates unique constraint'),
      pgError('22P02'),
      pgError('40001', 'could not serialize access due to concurrent update'),
      pgError('42501', 'permission denied for table users'),
      pgError('42P01', 'relation "x" does not exist'),
      new Error('Cannot read properties of undefined'),
      new TypeError('x is not a function'),
      null,
      undefined,
      'ECONNREFUSED',
    ];
    for (const err of others) assert.equal(isDatabaseUnavailable(err), false, String((err as Error)?.message ?? err));
  });

  it('answers an outage 503 database_unavailable with Retry-After, and a bug still 500', async () => {
    const lines: string[] = [];
    const app = new Hono();
    app.get('/down', () => {
      throw pgError('57P01', 'terminating connection due to administrator command');
    });
    app.get('/bug', () => {
      throw new TypeError('boom');
    });
    app.onError(onError(createLogger('warn', { write: (l: string) => void lines.push(l) })));
    const down = await app.request('/down');
    assert.equal(down.status, 503);
    assert.match(down.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal(((await down.json()) as { error: { code: string } }).error.code, 'database_unavailable');
    // Logged once per 10 s, not per request.
    await app.request('/down');
    assert.equal(lines.filter((l) => l.includes('database unavailable')).length, 1);
    const bug = await app.request('/bug');
    assert.equal(bug.status, 500);
    assert.equal(bug.headers.get('retry-after'), null);
  });
});
