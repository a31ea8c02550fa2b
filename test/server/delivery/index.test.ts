import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createDelivery, isDeliveryError, type DeliveryConfig, type Message } from '../../../server/src/delivery/index.js';
import { captureLog, flushLog, noSleep, startReceiver } from './helpers.js';
import { header, startSmtp } from '../../helpers/smtp.js';

const base: DeliveryConfig = {
  smtpUrl: undefined,
  smsWebhookUrl: undefined,
  botWebhookUrl: undefined,
  production: false,
  publicUrl: 'http://127.0.0.1:8787',
  devOutbox: true,
};
const code = '581204';
const msg = (channel: Message['channel'], to: string): Message => ({ channel, to, subject: 'Veriframe code', text: `Your code is ${code}`, kind: 'otp' });

describe('createDelivery routing', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((f) => f()));
  });

  it('without configuration every channel goes to the outbox, announced once at start without any content', async () => {
    const { log, lines } = captureLog();
    const delivery = createDelivery(base, log);
    await delivery.send(msg('email', 'ann@example.com'));
    await delivery.send(msg('sms', '+15550100'));
    await delivery.send(msg('bot', 'chat-7'));
    assert.ok(delivery.outbox);
    assert.deepEqual(
      delivery.outbox.list().map((e) => e.channel),
      ['bot', 'sms', 'email'],
    );
    assert.equal(delivery.outbox.latestFor('+15550100')?.text, `Your code is ${code}`);
    await flushLog();
    assert.equal(lines.length, 1);
    const line = JSON.parse(lines[0]!) as { level: number; channels: string[]; msg: string };
    assert.equal(line.level, 30);
    assert.deepEqual(line.channels, ['email', 'sms', 'bot']);
    assert.match(line.msg, /\/dev\/outbox/);
  });

  it('sends configured channels for real and keeps only the others in the outbox', async () => {
    const smtp = await startSmtp();
    const sms = await startReceiver(() => 200);
    cleanups.push(smtp.close, sms.close);
    const { log, lines } = captureLog();
    const delivery = createDelivery({ ...base, smtpUrl: smtp.url, smsWebhookUrl: sms.url }, log, { sleep: noSleep });
    await delivery.send(msg('email', 'ann@example.com'));
    await delivery.send(msg('sms', '+15550100'));
    await delivery.send(msg('bot', 'chat-7'));
    assert.equal(smtp.received.length, 1);
    assert.equal(header(smtp.received[0]!.raw, 'To'), 'ann@example.com');
    assert.equal(sms.requests.length, 1);
    assert.deepEqual(
      delivery.outbox?.list().map((e) => e.channel),
      ['bot'],
    );
    await flushLog();
    assert.deepEqual((JSON.parse(lines[0]!) as { channels: string[] }).channels, ['bot']);
    for (const line of lines) assert.ok(!line.includes(code) && !line.includes('ann@example.com') && !line.includes('+15550100'), line);
  });

  it('has no outbox when every channel is configured', async () => {
    const bot = await startReceiver(() => 200);
    cleanups.push(bot.close);
    const { log, lines } = captureLog();
    const delivery = createDelivery({ ...base, smtpUrl: 'smtp://127.0.0.1:1', smsWebhookUrl: bot.url, botWebhookUrl: bot.url }, log);
    assert.equal(delivery.outbox, undefined);
    await delivery.send(msg('bot', 'chat-7'));
    assert.equal((JSON.parse(bot.requests[0]!.body) as { channel: string }).channel, 'bot');
    await flushLog();
    assert.deepEqual(lines, []);
  });

  it('a failed webhook surfaces as delivery_failed through send', async () => {
    const sms = await startReceiver(() => 503);
    cleanups.push(sms.close);
    const { log } = captureLog();
    const delivery = createDelivery({ ...base, smsWebhookUrl: sms.url }, log, { sleep: noSleep });
    await assert.rejects(delivery.send(msg('sms', '+15550100')), (err) => isDeliveryError(err) && err.attempts === 3 && !err.message.includes(code));
  });

  for (const [label, config] of [
    ['in production mode', { ...base, production: true, devOutbox: false }],
    ['without VERIFRAME_DEV_OUTBOX', { ...base, devOutbox: false }],
  ] as const) {
    it(`${label}, a channel without configuration has no outbox: warned at start, and each send fails with delivery_failed`, async () => {
      const { log, lines } = captureLog();
      const delivery = createDelivery({ ...config, smtpUrl: 'smtp://127.0.0.1:1' }, log);
      assert.equal(delivery.outbox, undefined);
      await flushLog();
      assert.equal(lines.length, 1);
      const line = JSON.parse(lines[0]!) as { level: number; channels: string[]; msg: string };
      assert.equal(line.level, 40);
      assert.deepEqual(line.channels, ['sms', 'bot']);
      assert.match(line.msg, /NO DELIVERY/);
      assert.match(line.msg, /SMS_WEBHOOK_URL, BOT_WEBHOOK_URL/);
      await assert.rejects(delivery.send(msg('sms', '+15550100')), (err) => isDeliveryError(err) && err.channel === 'sms' && err.reason === 'not configured');
      await flushLog();
      assert.equal(lines.length, 2, 'each undelivered message is a warning too');
      assert.ok(!lines[1]!.includes(code) && !lines[1]!.includes('+15550100'));
    });
  }
});
