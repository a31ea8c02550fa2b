import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Message } from '../../../server/src/delivery/types.js';
import { createWebhookSender } from '../../../server/src/delivery/webhook.js';
import { captureLog, flushLog, noSleep, rejection, startReceiver } from './helpers.js';

const secretText = 'Your Veriframe code is 493017';
const sms: Message = { channel: 'sms', to: '+15550100', subject: 'Veriframe code', text: secretText, kind: 'otp' };

describe('webhook delivery (real local HTTP receiver)', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  afterEach(() => receiver?.close());

  it('POSTs the JSON payload with an Idempotency-Key equal to its id', async () => {
    receiver = await startReceiver(() => 200);
    const { log } = captureLog();
    await createWebhookSender({ channel: 'sms', url: receiver.url, log, sleep: noSleep })(sms);
    assert.equal(receiver.requests.length, 1);
    const req = receiver.requests[0]!;
    assert.equal(req.method, 'POST');
    assert.match(req.headers['content-type'] ?? '', /^application\/json/);
    const body = JSON.parse(req.body) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['channel', 'id', 'kind', 'text', 'to']);
    assert.equal(body.channel, 'sms');
    assert.equal(body.to, '+15550100');
    assert.equal(body.text, secretText);
    assert.equal(body.kind, 'otp');
    assert.match(String(body.id), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(req.headers['idempotency-key'], body.id);
  });

  it('sends the bot channel name for the bot webhook, and a new id per message', async () => {
    receiver = await startReceiver(() => 204);
    const { log } = captureLog();
    const send = createWebhookSender({ channel: 'bot', url: receiver.url, log, sleep: noSleep });
    await send({ ...sms, channel: 'bot', to: 'chat-42' });
    await send({ ...sms, channel: 'bot', to: 'chat-42' });
    const [a, b] = receiver.requests.map((r) => JSON.parse(r.body) as { channel: string; id: string });
    assert.equal(a!.channel, 'bot');
    assert.notEqual(a!.id, b!.id);
  });

  it('retries after a 503 with the same Idempotency-Key, waiting 200 ms first', async () => {
    receiver = await startReceiver((n) => (n === 1 ? 503 : 200));
    const { log } = captureLog();
    const waits: number[] = [];
    await createWebhookSender({ channel: 'sms', url: receiver.url, log, sleep: async (ms) => void waits.push(ms) })(sms);
    assert.equal(receiver.requests.length, 2);
    const [first, second] = receiver.requests;
    assert.equal(first!.headers['idempotency-key'], second!.headers['idempotency-key']);
    assert.equal(first!.body, second!.body);
    assert.deepEqual(waits, [200]);
  });

  it('retries on 429', async () => {
    receiver = await startReceiver((n) => (n === 1 ? 429 : 200));
    const { log } = captureLog();
    await createWebhookSender({ channel: 'sms', url: receiver.url, log, sleep: noSleep })(sms);
    assert.equal(receiver.requests.length, 2);
  });

  for (const status of [400, 401, 404, 422]) {
    it(`does not retry on ${status}`, async () => {
      receiver = await startReceiver(() => status);
      const { log } = captureLog();
      const err = await rejection(createWebhookSender({ channel: 'sms', url: receiver.url, log, sleep: noSleep })(sms));
      assert.equal(receiver.requests.length, 1);
      assert.equal(err.reason, `http ${status}`);
      assert.equal(err.attempts, 1);
    });
  }

  it('does not follow a redirect', async () => {
    receiver = await startReceiver(() => 307);
    const { log } = captureLog();
    const err = await rejection(createWebhookSender({ channel: 'sms', url: receiver.url, log, sleep: noSleep })(sms));
    assert.equal(receiver.requests.length, 1);
    assert.equal(err.reason, 'http 307');
  });

  it('gives up after 3 × 500 (backoff 200 then 800 ms) with delivery_failed that carries neither text, recipient nor URL', async () => {
    receiver = await startReceiver(() => 500);
    const { log, lines } = captureLog();
    const waits: number[] = [];
    const err = await rejection(
      createWebhookSender({ channel: 'sms', url: `${receiver.url}?token=hook-secret`, log, sleep: async (ms) => void waits.push(ms) })(sms),
    );
    assert.equal(receiver.requests.length, 3);
    assert.equal(new Set(receiver.requests.map((r) => r.headers['idempotency-key'])).size, 1);
    assert.deepEqual(waits, [200, 800]);
    assert.equal(err.code, 'delivery_failed');
    assert.equal(err.channel, 'sms');
    assert.equal(err.attempts, 3);
    assert.equal(err.reason, 'http 500');
    await flushLog();
    assert.equal(lines.length, 3, 'one warning per failed attempt');
    for (const text of [err.message, String(err.stack), JSON.stringify(err), ...lines]) {
      assert.ok(!text.includes('493017'), `code leaked: ${text}`);
      assert.ok(!text.includes('+15550100'), `recipient leaked: ${text}`);
      assert.ok(!text.includes('hook-secret'), `URL leaked: ${text}`);
    }
  });

  it('treats a receiver that does not answer in time as a timeout and retries', async () => {
    receiver = await startReceiver((n) => (n === 1 ? 'hang' : 200));
    const { log } = captureLog();
    await createWebhookSender({ channel: 'sms', url: receiver.url, log, sleep: noSleep, timeoutMs: 100 })(sms);
    assert.equal(receiver.requests.length, 2);
  });

  it('fails with reason timeout when every attempt times out', async () => {
    receiver = await startReceiver(() => 'hang');
    const { log } = captureLog();
    const err = await rejection(createWebhookSender({ channel: 'sms', url: receiver.url, log, sleep: noSleep, timeoutMs: 100 })(sms));
    assert.equal(err.reason, 'timeout');
    assert.equal(err.attempts, 3);
    assert.equal(receiver.requests.length, 3);
  });

  it('retries a refused connection and fails with reason network error', async () => {
    receiver = await startReceiver(() => 200);
    const url = receiver.url;
    await receiver.close();
    receiver = undefined;
    const { log } = captureLog();
    const waits: number[] = [];
    const err = await rejection(createWebhookSender({ channel: 'sms', url, log, sleep: async (ms) => void waits.push(ms) })(sms));
    assert.equal(err.reason, 'network error');
    assert.equal(err.attempts, 3);
    assert.deepEqual(waits, [200, 800]);
  });

  it('waits for real between attempts by default', async (ctx) => {
    // The default sleep is a real timer: the second attempt comes only after a setTimeout of
    // the configured delay was started (a spy that still calls the real one).
    const timers = ctx.mock.method(globalThis, 'setTimeout');
    const delayStarted = () => timers.mock.calls.some((call) => call.arguments[1] === 37);
    let startedBeforeRetry = false;
    receiver = await startReceiver((n) => {
      if (n === 2) startedBeforeRetry = delayStarted();
      return n === 1 ? 502 : 200;
    });
    const { log } = captureLog();
    await createWebhookSender({ channel: 'sms', url: receiver.url, log, delaysMs: [37, 37] })(sms);
    assert.equal(receiver.requests.length, 2);
    assert.ok(startedBeforeRetry, 'the retry waited on a timer of the configured delay');
  });
});
