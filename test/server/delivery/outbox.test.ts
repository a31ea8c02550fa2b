import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createOutbox, OUTBOX_CAPACITY } from '../../../server/src/delivery/outbox.js';
import type { Message } from '../../../server/src/delivery/types.js';

const msg = (i: number, to = `user${i}@example.com`): Message => ({ channel: 'email', to, subject: `s${i}`, text: `code ${i}`, kind: 'otp' });

describe('dev outbox', () => {
  it('lists newest first with an id and a time', () => {
    const at = new Date('2026-01-02T03:04:05.000Z');
    const box = createOutbox({ now: () => at });
    box.add(msg(1));
    box.add(msg(2));
    const items = box.list();
    assert.deepEqual(
      items.map((e) => e.subject),
      ['s2', 's1'],
    );
    assert.equal(items[0]!.at, '2026-01-02T03:04:05.000Z');
    assert.match(items[0]!.id, /^[0-9a-f-]{36}$/);
    assert.notEqual(items[0]!.id, items[1]!.id);
  });

  it('keeps only the last 50 messages', () => {
    const box = createOutbox();
    assert.equal(OUTBOX_CAPACITY, 50);
    for (let i = 1; i <= 137; i++) box.add(msg(i));
    const items = box.list();
    assert.equal(items.length, 50);
    assert.equal(items[0]!.subject, 's137');
    assert.equal(items[49]!.subject, 's88');
    assert.equal(box.latestFor('user87@example.com'), undefined, 'evicted');
    assert.equal(box.latestFor('user88@example.com')?.text, 'code 88');
  });

  it('latestFor finds the newest message to a recipient, case-insensitively', () => {
    const box = createOutbox();
    box.add(msg(1, 'Ann@Example.com'));
    box.add(msg(2, 'bob@example.com'));
    box.add(msg(3, 'ann@example.com'));
    box.add(msg(4, 'bob@example.com'));
    assert.equal(box.latestFor('ANN@example.com')?.text, 'code 3');
    assert.equal(box.latestFor('nobody@example.com'), undefined);
  });

  it('clear empties it, and it fills again from scratch', () => {
    const box = createOutbox({ capacity: 3 });
    for (let i = 1; i <= 5; i++) box.add(msg(i));
    box.clear();
    assert.deepEqual(box.list(), []);
    assert.equal(box.latestFor('user5@example.com'), undefined);
    box.add(msg(6));
    assert.deepEqual(
      box.list().map((e) => e.subject),
      ['s6'],
    );
  });
});
