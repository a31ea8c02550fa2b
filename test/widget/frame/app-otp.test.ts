/// <reference types="mocha" />
import { expect, waitUntil } from '@open-wc/testing';
import { codeInput, deep, doneAnswer, enterCode, focused, identifyAs, json, mockApi, mountApp, otpAnswer, startAnswer, waitForStep } from './helpers.js';

const resendButton = (app: HTMLElement) => deep<HTMLButtonElement>(app, 'vf-otp', '.resend button')!;
const countdown = (app: HTMLElement) => deep(app, 'vf-otp', '.countdown')?.textContent ?? '';
const status = (app: HTMLElement) => deep(app, 'vf-otp', '[role="status"]')!.textContent?.trim();

describe('<vf-app> OTP step', function () {
  this.timeout(10_000);
  let api: ReturnType<typeof mockApi> | undefined;
  afterEach(() => api?.restore());

  for (const [type, text] of [
    ['email', 'We sent a code to your e-mail address.'],
    ['sms', 'We sent a code to your phone by SMS.'],
    ['bot', 'We sent a code to your messenger.'],
  ] as const) {
    it(`${type}: says where the code went and offers resend`, async () => {
      api = mockApi({ start: startAnswer(), identify: otpAnswer({ type, resendAfter: 30 }) });
      const { app } = await mountApp();
      await identifyAs(app, 'alice', 'pw');
      await waitForStep(app, 'otp');
      expect(deep(app, 'vf-otp', 'p')!.textContent).to.equal(text);
      expect(resendButton(app).textContent).to.equal('Send a new code');
      expect(resendButton(app).disabled).to.equal(true);
      expect(countdown(app)).to.equal('You can ask for a new code in 30 seconds.');
    });
  }

  it('TOTP and HOTP have no resend', async () => {
    api = mockApi({ start: startAnswer(), identify: otpAnswer({ type: 'hotp' }) });
    const { app } = await mountApp();
    await identifyAs(app, 'alice', 'pw');
    await waitForStep(app, 'otp');
    expect(deep(app, 'vf-otp', '.resend')).to.equal(null);
    expect(deep(app, 'vf-otp', 'vf-qr')).to.equal(null);
  });

  it('counts down, enables resend, and after a resend counts down again with the code field focused', async () => {
    api = mockApi({ start: startAnswer(), identify: otpAnswer({ type: 'email', resendAfter: 2 }), resend: json(200, { resendAfter: 1 }), otp: doneAnswer() });
    const { app, of } = await mountApp();
    await identifyAs(app, 'alice', 'pw');
    await waitForStep(app, 'otp');
    expect(countdown(app)).to.equal('You can ask for a new code in 2 seconds.');
    await waitUntil(() => countdown(app) === 'You can ask for a new code in 1 second.', 'the countdown should tick', { timeout: 2000 });
    expect(resendButton(app).disabled).to.equal(true);
    await waitUntil(() => !resendButton(app).disabled, 'resend should be enabled after resendAfter', { timeout: 2000 });
    expect(deep(app, 'vf-otp', '.countdown')).to.equal(null);
    expect(status(app)).to.equal('');

    resendButton(app).focus();
    resendButton(app).click();
    await waitUntil(() => status(app) === 'A new code has been sent.');
    expect(api.calls.at(-1)).to.deep.equal({ path: 'resend', body: { transaction: 'tx_0123456789abcdefghij' } });
    expect(resendButton(app).disabled).to.equal(true);
    expect(countdown(app)).to.equal('You can ask for a new code in 1 second.');
    await waitUntil(() => focused() === codeInput(app), 'focus should move to the code field');
    await expect(app).to.be.accessible();

    await waitUntil(() => !resendButton(app).disabled, 'enabled again', { timeout: 2000 });
    await enterCode(app, '123456');
    await waitUntil(() => of('result').length === 1);
  });

  it('a throttled resend shows the wait and keeps the step', async () => {
    api = mockApi({
      start: startAnswer(),
      identify: otpAnswer({ type: 'sms', resendAfter: 0 }),
      resend: json(429, { error: { code: 'throttled', message: 'x', details: { retryAfter: 45 } } }),
    });
    const { app } = await mountApp();
    await identifyAs(app, 'alice', 'pw');
    await waitForStep(app, 'otp');
    expect(resendButton(app).disabled).to.equal(false);
    resendButton(app).click();
    await waitUntil(() => deep(app, '[role="alert"]')!.textContent === 'Too many attempts. Try again in 45 seconds.');
    expect(deep(app, 'vf-otp')).to.not.equal(null);
  });

  it('OCRA: the challenge as digits and as a QR code, and a response field', async () => {
    api = mockApi({ start: startAnswer(), identify: otpAnswer({ type: 'ocra', digits: 8, challenge: '20251128' }), otp: doneAnswer() });
    const { app, of } = await mountApp();
    await identifyAs(app, 'alice', 'pw');
    await waitForStep(app, 'otp');
    expect(deep(app, 'vf-otp', 'p')!.textContent).to.equal('Enter this challenge into your token, then type the response it shows.');
    expect(deep(app, 'vf-otp', 'dt')!.textContent).to.equal('Challenge');
    expect(deep(app, 'vf-otp', 'dd.digits')!.textContent).to.equal('20251128');

    const qr = deep(app, 'vf-otp', 'vf-qr')!;
    await (qr as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    const img = deep(qr, '[role="img"]')!;
    expect(img.getAttribute('aria-label')).to.equal('QR code of the challenge: 20251128');
    const svg = img.querySelector('svg')!;
    expect(svg).to.not.equal(null);
    expect(svg.querySelector('path')!.getAttribute('d')).to.match(/^M/);
    expect(svg.getBoundingClientRect().width).to.be.greaterThan(100);
    expect(deep(app, 'vf-otp', 'vf-qr + p')!.textContent).to.equal('You can also scan the QR code with your token.');

    expect(deep(app, 'vf-otp', 'vf-code-input', 'label')!.textContent).to.equal('Response');
    await expect(app).to.be.accessible();
    await enterCode(app, '87654321');
    await waitUntil(() => of('result').length === 1);
    expect(api.calls.at(-1)!.body.otp).to.equal('87654321');
  });

  it('accepts a pasted code with spaces', async () => {
    api = mockApi({ start: startAnswer(), identify: otpAnswer(), otp: doneAnswer() });
    const { app, of } = await mountApp();
    await identifyAs(app, 'alice', 'pw');
    await waitForStep(app, 'otp');
    const input = codeInput(app);
    const clipboardData = new DataTransfer();
    clipboardData.setData('text/plain', '123 456');
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true, composed: true }));
    expect(input.value).to.equal('123456');
    deep<HTMLButtonElement>(app, 'vf-otp', 'button[type="submit"]')!.click();
    await waitUntil(() => of('result').length === 1);
    expect(api.calls.at(-1)!.body.otp).to.equal('123456');
  });
});
