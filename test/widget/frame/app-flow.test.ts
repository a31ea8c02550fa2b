/// <reference types="mocha" />
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { parseFrameMessage } from '../../../shared/protocol.js';
import {
  codeInput,
  deep,
  doneAnswer,
  enterCode,
  focused,
  heading,
  identifyAs,
  jwt,
  mockApi,
  mountApp,
  otpAnswer,
  startAnswer,
  step,
  type,
  waitForStep,
} from './helpers.js';

describe('<vf-app> flow', function () {
  this.timeout(10_000);
  let api: ReturnType<typeof mockApi> | undefined;
  afterEach(() => api?.restore());

  it('identify → OTP → done: sends ready, states and the result over the port, all well-formed', async () => {
    const token = jwt();
    api = mockApi({ start: startAnswer(), identify: otpAnswer(), otp: doneAnswer(token) });
    const { app, messages, of } = await mountApp();

    await waitForStep(app, 'identify');
    expect(heading(app)).to.equal('Sign in to Shop');
    expect(api.calls[0]).to.deep.equal({
      path: 'start',
      body: { resourceId: 'res_1', origin: 'https://shop.example', nonce: 'nonce_1', instance: 'inst_1' },
    });
    const login = deep<HTMLInputElement>(app, 'vf-identify', '#login')!;
    const password = deep<HTMLInputElement>(app, 'vf-identify', '#password')!;
    expect(login.autocomplete).to.equal('username');
    expect(password.autocomplete).to.equal('current-password');
    expect(password.type).to.equal('password');
    expect(login.labels?.[0]?.textContent).to.equal('Login');
    expect(password.labels?.[0]?.textContent).to.equal('Password');

    await identifyAs(app, ' alice ', 's3cret');
    await waitForStep(app, 'otp');
    expect(api.calls[1]).to.deep.equal({ path: 'identify', body: { transaction: 'tx_0123456789abcdefghij', login: 'alice', password: 's3cret' } });
    // The user moved on: focus follows to the code field.
    await waitUntil(() => focused() === codeInput(app), 'the code field should be focused');
    expect(codeInput(app).autocomplete).to.equal('one-time-code');
    expect(codeInput(app).inputMode).to.equal('numeric');
    expect(deep(app, 'vf-otp', 'p')!.textContent).to.equal('Enter the 6-digit code from your authenticator app or token.');

    await enterCode(app, '123456');
    await waitForStep(app, 'done');
    expect(api.calls[2]).to.deep.equal({ path: 'otp', body: { transaction: 'tx_0123456789abcdefghij', otp: '123456' } });
    expect(deep(app, '.done')!.textContent).to.contain('Signed in');
    await waitUntil(() => of('result').length === 1, 'the result should reach the page');
    expect(of('result')[0]!.token).to.equal(token);
    expect(focused()).to.equal(deep(app, '.done'));

    await waitUntil(() => of('state').length === 3);
    expect(messages[0]).to.deep.equal({ v: 1, type: 'ready' });
    expect(of('state').map((m) => m.step)).to.deep.equal(['identify', 'otp', 'done']);
    // Every message is one the loader's strict parser accepts.
    for (const m of messages) expect(parseFrameMessage(m), JSON.stringify(m)).to.deep.equal(m);
  });

  it('without a password: only the login is asked, and keyboard alone completes the login', async () => {
    api = mockApi({ start: startAnswer({ password: false }), identify: otpAnswer({ digits: 8 }), otp: doneAnswer() });
    const { app, of } = await mountApp();
    await waitForStep(app, 'identify');
    expect(deep(app, 'vf-identify', '#password')).to.equal(null);

    deep<HTMLInputElement>(app, 'vf-identify', '#login')!.focus();
    await sendKeys({ type: 'bob' });
    await sendKeys({ press: 'Enter' });
    await waitForStep(app, 'otp');
    expect(api.calls[1]!.body).to.deep.equal({ transaction: 'tx_0123456789abcdefghij', login: 'bob' });
    await waitUntil(() => focused() === codeInput(app));
    expect(codeInput(app).maxLength).to.equal(8);
    await sendKeys({ type: '12345678' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => of('result').length === 1, 'Enter in the code field should submit');
    expect(api.calls[2]!.body.otp).to.equal('12345678');
  });

  it('asks for the missing field instead of sending an empty one', async () => {
    api = mockApi({ start: startAnswer(), identify: otpAnswer() });
    const { app } = await mountApp();
    await waitForStep(app, 'identify');
    deep<HTMLButtonElement>(app, 'vf-identify', 'button')!.click();
    await waitUntil(() => deep(app, 'vf-identify', '#login-error'));
    const login = deep<HTMLInputElement>(app, 'vf-identify', '#login')!;
    expect(deep(app, 'vf-identify', '#login-error')!.textContent).to.equal('Enter your login.');
    expect(login.getAttribute('aria-invalid')).to.equal('true');
    expect(login.getAttribute('aria-describedby')).to.equal('login-error');
    expect(focused()).to.equal(login);

    type(login, 'alice');
    deep<HTMLButtonElement>(app, 'vf-identify', 'button')!.click();
    await waitUntil(() => deep(app, 'vf-identify', '#password-error'));
    expect(deep(app, 'vf-identify', '#password-error')!.textContent).to.equal('Enter your password.');
    expect(focused()).to.equal(deep(app, 'vf-identify', '#password'));
    expect(api.calls.map((c) => c.path)).to.deep.equal(['start']);

    type(deep<HTMLInputElement>(app, 'vf-identify', '#password')!, 'pw');
    deep<HTMLButtonElement>(app, 'vf-identify', 'button')!.click();
    await waitForStep(app, 'otp');
    // A short code is not sent either.
    await enterCode(app, '123');
    await waitUntil(() => deep(app, 'vf-otp', 'vf-code-input', '[role="alert"]')?.textContent === 'Enter the code.');
    expect(api.calls.map((c) => c.path)).to.deep.equal(['start', 'identify']);
  });

  it('a token with a PIN: the field takes PIN and code together and says so', async () => {
    api = mockApi({ start: startAnswer(), identify: otpAnswer({ pin: true }), otp: doneAnswer() });
    const { app, of } = await mountApp();
    await identifyAs(app, 'alice', 'pw');
    await waitForStep(app, 'otp');
    const input = codeInput(app);
    const label = deep(app, 'vf-otp', 'vf-code-input', 'label')!;
    expect(label.textContent).to.equal('PIN and one-time code');
    expect(deep(app, 'vf-otp', 'vf-code-input', '#hint')!.textContent).to.equal('Type your PIN and the code together, without spaces.');
    expect(input.getAttribute('aria-describedby')).to.equal('hint');
    expect(input.maxLength).to.equal(14);
    await enterCode(app, '1234654321');
    await waitUntil(() => of('result').length === 1);
    expect(api.calls[2]!.body.otp).to.equal('1234654321');
  });

  it('a bypassed token goes from identify straight to done', async () => {
    api = mockApi({ start: startAnswer(), identify: doneAnswer() });
    const { app, of } = await mountApp();
    await identifyAs(app, 'alice', 'pw');
    await waitForStep(app, 'done');
    await waitUntil(() => of('result').length === 1);
  });

  it('sends resize with the new height when the OTP step appears', async () => {
    api = mockApi({ start: startAnswer({ password: false }), identify: otpAnswer({ type: 'email', resendAfter: 30 }) });
    const { app, of } = await mountApp();
    await waitForStep(app, 'identify');
    const identifyHeight = Math.ceil(app.getBoundingClientRect().height);
    await waitUntil(() => of('resize').at(-1)?.height === identifyHeight, 'the identify height should be sent');
    const before = of('resize').length;

    await identifyAs(app, 'alice');
    await waitForStep(app, 'otp');
    const otpHeight = Math.ceil(app.getBoundingClientRect().height);
    expect(otpHeight).to.be.greaterThan(identifyHeight);
    await waitUntil(() => of('resize').at(-1)?.height === otpHeight, 'the OTP height should be sent');
    expect(of('resize').length).to.be.greaterThan(before);
    // No duplicates: each message is a change.
    const heights = of('resize').map((m) => m.height);
    heights.slice(1).forEach((h, i) => expect(h).to.not.equal(heights[i]));
  });

  it('ignores malformed messages on the port and answers reset with a new transaction', async () => {
    api = mockApi({ start: startAnswer(), identify: doneAnswer() });
    const { app, page, of, delivered } = await mountApp();
    await identifyAs(app, 'alice', 'pw');
    await waitForStep(app, 'done');

    page.postMessage({ v: 2, type: 'reset' });
    page.postMessage({ v: 1, type: 'reset', extra: true });
    page.postMessage('reset');
    await delivered();
    expect(step(app)).to.equal('done');
    expect(api.calls.filter((c) => c.path === 'start')).to.have.length(1);

    page.postMessage({ v: 1, type: 'reset' });
    await waitForStep(app, 'identify');
    expect(api.calls.filter((c) => c.path === 'start')).to.have.length(2);
    expect(api.calls.at(-1)!.body.nonce).to.equal('nonce_1');
    await waitUntil(() => of('state').at(-1)?.step === 'identify', 'state identify should reach the page');
    // The page's reset does not pull focus into the frame.
    expect(focused()).to.not.equal(deep(app, 'vf-identify', '#login'));
  });

  it('passes axe on every step', async () => {
    api = mockApi({ start: startAnswer(), identify: [otpAnswer({ type: 'sms', resendAfter: 30 })], otp: doneAnswer() });
    const { app } = await mountApp();
    await waitForStep(app, 'identify');
    await expect(app).to.be.accessible();
    await identifyAs(app, 'alice', 'pw');
    await waitForStep(app, 'otp');
    await expect(app).to.be.accessible();
    await enterCode(app, '123456');
    await waitForStep(app, 'done');
    await expect(app).to.be.accessible();
  });
});
