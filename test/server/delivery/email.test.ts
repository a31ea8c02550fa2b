import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { createEmailSender, fromAddress } from '../../../server/src/delivery/email.js';
import type { Message } from '../../../server/src/delivery/types.js';
import { captureLog, flushLog, noSleep, rejection } from './helpers.js';
import { header, startSmtp } from '../../helpers/smtp.js';

const mail: Message = {
  channel: 'email',
  to: 'ann@example.com',
  subject: 'Your Veriframe code',
  text: 'Your code is 730164.\nIt is valid for 5 minutes.\n\nIf you did not ask for it, ignore this e-mail.',
  kind: 'otp',
};

describe('e-mail delivery (real in-process SMTP server)', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>> | undefined;
  afterEach(() => smtp?.close());

  it('delivers To, Subject, From, the text and a minimal HTML version', async () => {
    smtp = await startSmtp();
    const { log } = captureLog();
    await createEmailSender({ url: smtp.url, publicUrl: 'https://mfa.example.com', log, sleep: noSleep })(mail);
    assert.equal(smtp.received.length, 1);
    const got = smtp.received[0]!;
    assert.deepEqual(got.to, ['ann@example.com']);
    assert.equal(got.from, 'no-reply@mfa.example.com');
    assert.equal(header(got.raw, 'To'), 'ann@example.com');
    assert.equal(header(got.raw, 'Subject'), 'Your Veriframe code');
    assert.equal(header(got.raw, 'From'), 'Veriframe <no-reply@mfa.example.com>');
    assert.match(got.raw, /Content-Type: multipart\/alternative/i);
    assert.match(got.raw, /Content-Type: text\/plain/i);
    assert.match(got.raw, /Content-Type: text\/html/i);
    assert.ok(got.raw.includes('Your code is 730164.\r\nIt is valid for 5 minutes.'), 'plain text part');
    assert.ok(got.raw.includes('<p>Your code is 730164.<br>It is valid for 5 minutes.</p>'), 'html part');
  });

  it('uses the given HTML when there is one, escaping nothing of it', async () => {
    smtp = await startSmtp();
    const { log } = captureLog();
    await createEmailSender({ url: smtp.url, publicUrl: 'https://mfa.example.com', log, sleep: noSleep })({ ...mail, html: '<b>730164</b>' });
    assert.ok(smtp.received[0]!.raw.includes('<b>730164</b>'));
  });

  it('escapes markup of the text in the generated HTML', async () => {
    smtp = await startSmtp();
    const { log } = captureLog();
    await createEmailSender({ url: smtp.url, publicUrl: 'https://mfa.example.com', log, sleep: noSleep })({ ...mail, text: 'a <script>x</script> & b' });
    assert.ok(smtp.received[0]!.raw.includes('<p>a &lt;script&gt;x&lt;/script&gt; &amp; b</p>'));
  });

  it('logs in with the user and password of SMTP_URL', async () => {
    smtp = await startSmtp({ auth: { user: 'mailer', pass: 's3cret-pass' } });
    const { log } = captureLog();
    await createEmailSender({ url: smtp.url, publicUrl: 'https://mfa.example.com', log, sleep: noSleep })(mail);
    assert.equal(smtp.received.length, 1);
  });

  it('fails at once on a wrong SMTP password, without the password, the code or the address in error or logs', async () => {
    smtp = await startSmtp({ auth: { user: 'mailer', pass: 'right-pass' } });
    const { log, lines } = captureLog();
    const waits: number[] = [];
    const url = `smtp://mailer:wrong-pass@127.0.0.1:${smtp.port}`;
    const err = await rejection(createEmailSender({ url, publicUrl: 'https://mfa.example.com', log, sleep: async (ms) => void waits.push(ms) })(mail));
    assert.equal(err.code, 'delivery_failed');
    assert.equal(err.channel, 'email');
    assert.equal(err.attempts, 1);
    assert.deepEqual(waits, []);
    assert.equal(smtp.received.length, 0);
    await flushLog();
    for (const text of [err.message, String(err.stack), JSON.stringify(err), ...lines]) {
      for (const secret of ['wrong-pass', 'right-pass', '730164', 'ann@example.com']) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    }
  });

  it('retries a transient 451 refusal and then delivers', async () => {
    smtp = await startSmtp({ reject: (n) => (n === 1 ? 451 : undefined) });
    const { log } = captureLog();
    const waits: number[] = [];
    await createEmailSender({ url: smtp.url, publicUrl: 'https://mfa.example.com', log, sleep: async (ms) => void waits.push(ms) })(mail);
    assert.equal(smtp.received.length, 1);
    assert.deepEqual(waits, [200]);
  });

  it('does not retry a permanent 550 refusal', async () => {
    smtp = await startSmtp({ reject: () => 550 });
    const { log } = captureLog();
    const err = await rejection(createEmailSender({ url: smtp.url, publicUrl: 'https://mfa.example.com', log, sleep: noSleep })(mail));
    assert.equal(err.reason, 'smtp 550');
    assert.equal(err.attempts, 1);
  });

  it('retries a refused connection 3 times in all', async () => {
    smtp = await startSmtp();
    const url = smtp.url;
    await smtp.close();
    smtp = undefined;
    const { log } = captureLog();
    const err = await rejection(createEmailSender({ url, publicUrl: 'https://mfa.example.com', log, sleep: noSleep })(mail));
    assert.equal(err.attempts, 3);
  });

  it('gives up without retrying when the server never greets (timeout; SMTP_URL query options reach nodemailer)', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const { log } = captureLog();
      const url = `smtp://127.0.0.1:${port}/?greetingTimeout=150`;
      const err = await rejection(createEmailSender({ url, publicUrl: 'https://mfa.example.com', log, sleep: noSleep })(mail));
      assert.equal(err.reason, 'timeout');
      assert.equal(err.attempts, 1);
    } finally {
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('sends from no-reply at the host of PUBLIC_URL, localhost for an IP address', () => {
    assert.equal(fromAddress('https://mfa.example.com:8443'), 'Veriframe <no-reply@mfa.example.com>');
    assert.equal(fromAddress('http://127.0.0.1:8787'), 'Veriframe <no-reply@localhost>');
    assert.equal(fromAddress('http://[::1]:8787'), 'Veriframe <no-reply@localhost>');
  });
});
