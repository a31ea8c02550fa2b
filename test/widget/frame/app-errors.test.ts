/// <reference types="mocha" />
import { expect, waitUntil } from '@open-wc/testing';
import { outcome } from '../../../widget/src/frame/outcome.js';
import { msUntil, tokenLifetime } from '../../../widget/src/frame/api.js';
import type { VfApp } from '../../../widget/src/frame/vf-app.js';
import {
  alertText,
  apiError,
  codeInput,
  deep,
  doneAnswer,
  enterCode,
  focused,
  identifyAs,
  json,
  jwt,
  mockApi,
  mountApp,
  otpAnswer,
  startAnswer,
  step,
  waitForStep,
} from './helpers.js';

const alertIs = async (app: VfApp, text: string) => {
  await waitUntil(() => alertText(app) === text, `alert should read "${text}" (is "${alertText(app)}")`);
  expect(deep(app, '[role="alert"]')!.getAttribute('aria-live')).to.equal('assertive');
};

describe('<vf-app> errors', function () {
  this.timeout(10_000);
  let api: ReturnType<typeof mockApi> | undefined;
  afterEach(() => api?.restore());

  it('wrong_credentials at identify: one generic message, password cleared and focused, login kept', async () => {
    api = mockApi({ start: startAnswer(), identify: [apiError(401, 'wrong_credentials', { attemptsLeft: 3 }), otpAnswer()] });
    const { app, of } = await mountApp();
    await identifyAs(app, 'alice', 'bad');
    await alertIs(app, 'Wrong login or code.');
    expect(step(app)).to.equal('identify');
    expect(deep<HTMLInputElement>(app, 'vf-identify', '#login')!.value).to.equal('alice');
    expect(deep<HTMLInputElement>(app, 'vf-identify', '#password')!.value).to.equal('');
    expect(focused()).to.equal(deep(app, 'vf-identify', '#password'));
    // A wrong guess is not an error the page hears about.
    expect(of('error')).to.have.length(0);

    await identifyAs(app, 'alice', 'good');
    await waitForStep(app, 'otp');
    expect(alertText(app)).to.equal('');
  });

  it('wrong_credentials at the OTP step: same message, code cleared, field marked invalid and focused', async () => {
    api = mockApi({ start: startAnswer(), identify: otpAnswer(), otp: [apiError(401, 'wrong_credentials'), apiError(401, 'wrong_credentials'), doneAnswer()] });
    const { app } = await mountApp();
    await identifyAs(app, 'alice', 'pw');
    await enterCode(app, '000000');
    await alertIs(app, 'Wrong login or code.');
    await waitUntil(() => codeInput(app).value === '');
    expect(codeInput(app).getAttribute('aria-invalid')).to.equal('true');
    await waitUntil(() => focused() === codeInput(app));

    // The same message again is announced again: the region is emptied in between.
    let emptied = false;
    const observer = new MutationObserver(() => (emptied ||= alertText(app) === ''));
    observer.observe(app.shadowRoot!, { subtree: true, childList: true, characterData: true });
    await enterCode(app, '111111');
    await waitUntil(() => emptied && alertText(app) === 'Wrong login or code.');
    observer.disconnect();
  });

  it('account_locked with and without a known wait', async () => {
    api = mockApi({ start: startAnswer(), identify: otpAnswer(), otp: [apiError(423, 'account_locked', { retryAfter: 90 }), apiError(423, 'account_locked')] });
    const { app, of } = await mountApp();
    await identifyAs(app, 'alice', 'pw');
    await enterCode(app, '123456');
    await alertIs(app, 'Your account is locked. Try again in 2 minutes.');
    await waitUntil(() => of('error').length === 1);
    expect(of('error')[0]!.code).to.equal('locked');
    await enterCode(app, '123456');
    await alertIs(app, 'Your account is locked. Contact your administrator.');
  });

  it('throttled with the retry time (details or Retry-After) and without', async () => {
    api = mockApi({
      start: startAnswer(),
      identify: [
        apiError(429, 'throttled', { retryAfter: 30 }),
        json(429, { error: { code: 'throttled', message: 'x' } }, { 'retry-after': '1' }),
        apiError(429, 'throttled'),
      ],
    });
    const { app, of } = await mountApp();
    await identifyAs(app, 'alice', 'pw');
    await alertIs(app, 'Too many attempts. Try again in 30 seconds.');
    await identifyAs(app, 'alice', 'pw');
    await alertIs(app, 'Too many attempts. Try again in 1 second.');
    await identifyAs(app, 'alice', 'pw');
    await alertIs(app, 'Too many attempts. Try again later.');
    await waitUntil(() => of('error').length === 3);
    expect(of('error').map((e) => e.code)).to.deep.equal(['throttled', 'throttled', 'throttled']);
    expect(step(app)).to.equal('identify');
  });

  it('not_allowed_here: a dead end with the reason, reported as not_allowed', async () => {
    api = mockApi({ start: startAnswer(), identify: apiError(403, 'not_allowed_here') });
    const { app, of } = await mountApp();
    await identifyAs(app, 'alice', 'pw');
    await alertIs(app, 'Sign-in is not allowed from here.');
    expect(step(app)).to.equal('other');
    await waitUntil(() => of('error').length === 1);
    expect(of('error')[0]!.code).to.equal('not_allowed');
    await waitUntil(() => of('state').at(-1)?.step === 'error', 'state error should reach the page');
    await expect(app).to.be.accessible();
  });

  it('a refused origin or an unavailable resource at start', async () => {
    api = mockApi({ start: apiError(403, 'origin_not_allowed') });
    const first = await mountApp();
    await alertIs(first.app, 'This site may not use this sign-in.');
    await waitUntil(() => first.of('error').length === 1);
    expect(first.of('error')[0]!.code).to.equal('origin_not_allowed');
    api.restore();

    api = mockApi({ start: apiError(404, 'resource_unavailable') });
    const second = await mountApp();
    await alertIs(second.app, 'Sign-in is not available right now.');
    await waitUntil(() => second.of('error').length === 1);
    expect(second.of('error')[0]!.code).to.equal('resource_unavailable');
    expect(deep(second.app, '.actions button')).to.equal(null);
  });

  it('transaction_expired: expired is sent and "Start again" starts a new transaction, focused', async () => {
    api = mockApi({ start: startAnswer(), identify: otpAnswer(), otp: apiError(410, 'transaction_expired') });
    const { app, of } = await mountApp();
    await identifyAs(app, 'alice', 'pw');
    await enterCode(app, '123456');
    await alertIs(app, 'This sign-in has expired.');
    await waitUntil(() => of('expired').length === 1);
    const button = deep<HTMLButtonElement>(app, '.actions button')!;
    expect(button.textContent).to.equal('Start again');
    await waitUntil(() => focused() === button, 'the button should take focus (the user was in the frame)');
    await expect(app).to.be.accessible();

    button.click();
    await waitForStep(app, 'identify');
    expect(api.calls.filter((c) => c.path === 'start')).to.have.length(2);
    expect(alertText(app)).to.equal('');
    await waitUntil(() => focused() === deep(app, 'vf-identify', '#login'));
  });

  it('the transaction expires on its own at expiresAt', async () => {
    api = mockApi({ start: [startAnswer({ expiresAt: new Date(Date.now() + 300).toISOString() }), startAnswer()] });
    const { app, of } = await mountApp();
    await waitForStep(app, 'identify');
    await waitUntil(() => of('expired').length === 1, 'expired should be sent', { timeout: 2000 });
    await waitForStep(app, 'button');
    expect(alertText(app)).to.equal('This sign-in has expired.');
    await waitUntil(() => of('state').at(-1)?.step === 'error', 'state error should reach the page');
  });

  it('the result expires with its token (exp − iat), so the page clears it', async () => {
    api = mockApi({ start: startAnswer(), identify: doneAnswer(jwt({ iat: 1000, exp: 1000.3 })) });
    const { app, of } = await mountApp();
    await identifyAs(app, 'alice', 'pw');
    await waitUntil(() => of('result').length === 1);
    await waitUntil(() => of('expired').length === 1, 'expired should follow the token lifetime', { timeout: 2000 });
    await waitForStep(app, 'button');
  });

  it('a network failure at start offers "Try again"; later failures keep the step', async () => {
    api = mockApi({ start: [() => Promise.reject(new TypeError('offline')), startAnswer()], identify: [json(500, {}), otpAnswer()] });
    const { app, of } = await mountApp();
    await alertIs(app, 'Connection problem. Please try again.');
    await waitUntil(() => of('error').length === 1);
    expect(of('error')[0]!.code).to.equal('network');
    deep<HTMLButtonElement>(app, '.actions button')!.click();
    await waitForStep(app, 'identify');

    await identifyAs(app, 'alice', 'pw');
    await alertIs(app, 'Sign-in is not available right now.');
    expect(step(app)).to.equal('identify');
    await identifyAs(app, 'alice', 'pw');
    await waitForStep(app, 'otp');
  });

  it('delivery_failed and a malformed answer', async () => {
    api = mockApi({ start: startAnswer(), identify: [apiError(502, 'delivery_failed'), json(200, { step: 'otp', otp: { type: 'nope' } })] });
    const { app, of } = await mountApp();
    await identifyAs(app, 'alice', 'pw');
    await alertIs(app, 'The code could not be sent. Try again later.');
    await identifyAs(app, 'alice', 'pw');
    await alertIs(app, 'Sign-in is not available right now.');
    await waitUntil(() => of('error').length === 1);
    expect(of('error')[0]!.code).to.equal('protocol');
  });

  it('maps every server code (pure)', () => {
    expect(outcome({ code: 'wrong_credentials', status: 401 }, 'step')).to.deep.equal({ kind: 'alert', key: 'wrong', wrong: true });
    expect(outcome({ code: 'transaction_expired', status: 410 }, 'step')).to.deep.equal({ kind: 'expired' });
    expect(outcome({ code: 'throttled', status: 429, retryAfter: 5 }, 'start')).to.include({ kind: 'fatal', key: 'throttled', seconds: 5, retry: true });
    expect(outcome({ code: 'cross_site_request', status: 403 }, 'start')).to.include({ kind: 'fatal', page: 'origin_not_allowed' });
    expect(outcome({ code: 'internal_error', status: 500 }, 'step')).to.include({ kind: 'alert', key: 'unavailable', page: 'network' });
  });

  it('times from the server clock and reads the token lifetime', () => {
    const server = Date.parse('2030-01-01T00:00:00Z');
    expect(msUntil('2030-01-01T00:10:00Z', server)).to.equal(600_000);
    expect(msUntil('2020-01-01T00:00:00Z', NaN)).to.equal(0);
    expect(tokenLifetime(jwt({ iat: 10, exp: 130 }))).to.equal(120_000);
    expect(tokenLifetime('a.b.c')).to.equal(null);
    expect(tokenLifetime(jwt({ iat: 10 }))).to.equal(null);
  });
});
