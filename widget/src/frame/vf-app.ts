import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import {
  PROTOCOL_VERSION,
  parseParentMessage,
  type EnrollAnswer,
  type FrameMessage,
  type OtpStep,
  type PushStep,
  type StepAnswer,
  type WidgetEnrollType,
} from '../../../shared/protocol.js';
import { loadMessages, pickLanguage, translator, type MessageKey, type Translator } from '../i18n/index.js';
import * as api from './api.js';
import type { AppConfig } from './config.js';
import { watchHeight, type HeightWatch } from './height.js';
import { outcome } from './outcome.js';
import { appStyles } from './vf-app.styles.js';
import type { VfIdentify, VfIdentifyDetail } from './vf-identify.js';
import type { VfOtp } from './vf-otp.js';
import './vf-enroll.js';
import './vf-identify.js';
import './vf-lang-select.js';
import './vf-otp.js';
import './vf-push.js';

type View =
  | { step: 'connecting' }
  | { step: 'identify'; password: boolean }
  | { step: 'otp'; otp: OtpStep; resendAt: number }
  | { step: 'push'; push: PushStep }
  | { step: 'enroll'; types: WidgetEnrollType[]; enrollment: EnrollAnswer | null; resendAt: number }
  | { step: 'done' }
  | { step: 'expired' }
  | { step: 'fatal'; retry: boolean };

interface Alert {
  key: MessageKey;
  seconds?: number;
}

/**
 * The iframe app: waits for `connect(port, nonce)` (from the handshake), then runs identify →
 * OTP → done against /widget/api and reports to the page over the port only.
 */
@customElement('vf-app')
export class VfApp extends LitElement {
  static override styles = appStyles;

  @property({ attribute: false }) config?: AppConfig;
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'auto';
  @property({ reflect: true }) size: 'normal' | 'compact' = 'normal';

  @state() private t?: Translator;
  @state() private view: View = { step: 'connecting' };
  @state() private alert: Alert | null = null;
  @state() private busy = false;
  @state() private invalid = false;
  @state() private resent = false;

  private port?: MessagePort;
  private helloNonce = '';
  private transaction = '';
  /** Bumped by every (re)start: answers of an older transaction are dropped. */
  private run = 0;
  private langRequest = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private height?: HeightWatch;

  /** Takes the port of an accepted hello and starts a transaction with its nonce. */
  connect(port: MessagePort, nonce: string): void {
    this.port?.close();
    this.port = port;
    this.helloNonce = nonce;
    port.onmessage = (e) => this.onParentMessage(e.data);
    this.send({ v: PROTOCOL_VERSION, type: 'ready' });
    this.height?.stop();
    this.height = watchHeight(this, (height) => this.send({ v: PROTOCOL_VERSION, type: 'resize', height }));
    void this.start(false);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
    this.height?.stop();
    this.port?.close();
    this.port = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('config') && this.config) {
      this.theme = this.config.theme;
      this.size = this.config.size ?? 'normal';
      for (const [name, value] of Object.entries(this.config.style ?? {})) this.style.setProperty(name, value);
      if (!this.t) void this.setLang(this.config.lang);
    }
  }

  protected override updated(): void {
    this.height?.queue();
  }

  private send(message: FrameMessage): void {
    this.port?.postMessage(message);
  }

  private onParentMessage(data: unknown): void {
    const m = parseParentMessage(data);
    if (m?.type === 'reset') void this.start(false);
    else if (m?.type === 'lang') void this.setLang(m.lang);
    else if (m?.type === 'theme') this.theme = m.theme;
  }

  private async setLang(wanted: string): Promise<void> {
    const lang = pickLanguage(wanted);
    const request = ++this.langRequest;
    try {
      const messages = await loadMessages(lang);
      if (request !== this.langRequest) return;
      this.t = translator(lang, messages);
      document.documentElement.lang = lang;
      document.title = messages.signIn;
    } catch {
      // Keep the current language; with none yet, English is the last resort.
      if (!this.t && lang !== 'en') void this.setLang('en');
    }
  }

  private async go(view: View, moveFocus: boolean): Promise<void> {
    this.view = view;
    this.invalid = false;
    this.resent = false;
    // Enrolment ends with a code: to the page it is the code step.
    const step = view.step === 'expired' || view.step === 'fatal' ? 'error' : view.step === 'enroll' || view.step === 'push' ? 'otp' : view.step;
    if (step !== 'connecting') this.send({ v: PROTOCOL_VERSION, type: 'state', step });
    // Focus follows the user's own actions only; a timer or the page never pulls focus into the frame.
    if (!moveFocus) return;
    await this.updateComplete;
    // In order of preference (a selector list would pick the first in document order: the h1).
    const target = ['vf-identify', 'vf-otp', 'vf-enroll', 'vf-push', '.done', '.actions button', 'h1']
      .map((s) => this.renderRoot.querySelector<HTMLElement>(s))
      .find(Boolean);
    if (target instanceof LitElement) await target.updateComplete;
    target?.focus();
  }

  private focusInside(): boolean {
    return this.matches(':focus-within');
  }

  private async showAlert(alert: Alert | null): Promise<void> {
    // Emptied first so that the same message twice in a row is announced twice.
    this.alert = null;
    if (!alert) return;
    await this.updateComplete;
    this.alert = alert;
  }

  private async start(moveFocus: boolean): Promise<void> {
    const run = ++this.run;
    clearTimeout(this.timer);
    this.transaction = '';
    this.busy = false;
    void this.showAlert(null);
    this.view = { step: 'connecting' };
    const c = this.config;
    if (!c) return;
    const r = await api.startTransaction({ resourceId: c.resourceId, origin: c.parentOrigin, nonce: this.helloNonce, instance: c.instance });
    if (run !== this.run) return;
    if (!r.ok) return this.fail(r.error, 'start', moveFocus);
    this.transaction = r.data.transaction;
    this.timer = setTimeout(() => this.expire(), api.msUntil(r.data.expiresAt, r.serverTime));
    await this.go({ step: 'identify', password: r.data.password }, moveFocus);
  }

  /** Runs one step request; null when it failed (already handled) or a restart made it moot. */
  private async call(request: () => ReturnType<typeof api.identify>): Promise<StepAnswer | null> {
    if (this.busy) return null;
    const run = this.run;
    this.busy = true;
    void this.showAlert(null);
    const r = await request();
    if (run !== this.run) return null;
    this.busy = false;
    if (!r.ok) {
      await this.fail(r.error, 'step', true);
      return null;
    }
    return r.data;
  }

  private async onIdentify(e: CustomEvent<VfIdentifyDetail>): Promise<void> {
    const answer = await this.call(() => api.identify({ transaction: this.transaction, ...e.detail }));
    if (answer) await this.advance(answer);
  }

  private async onOtp(e: CustomEvent<{ otp: string }>): Promise<void> {
    this.resent = false;
    const enrolling = this.view.step === 'enroll';
    const answer = await this.call(() => (enrolling ? api.enrollConfirm : api.submitOtp)({ transaction: this.transaction, otp: e.detail.otp }));
    if (answer) await this.advance(answer);
  }

  private async onEnrollType(e: CustomEvent<{ type: WidgetEnrollType }>): Promise<void> {
    if (this.busy || this.view.step !== 'enroll') return;
    const run = this.run;
    this.busy = true;
    void this.showAlert(null);
    const r = await api.enroll({ transaction: this.transaction, type: e.detail.type });
    if (run !== this.run) return;
    this.busy = false;
    if (!r.ok) return this.fail(r.error, 'step', true);
    const resendAt = r.data.sentTo ? Date.now() + 30_000 : 0;
    if (this.view.step === 'enroll') await this.go({ ...this.view, enrollment: r.data, resendAt }, true);
  }

  private async onResend(): Promise<void> {
    if (this.busy || (this.view.step !== 'otp' && this.view.step !== 'enroll')) return;
    const run = this.run;
    this.busy = true;
    this.resent = false;
    void this.showAlert(null);
    const r = await (this.view.step === 'enroll' ? api.enrollResend : api.resend)({ transaction: this.transaction });
    if (run !== this.run) return;
    this.busy = false;
    if (!r.ok) return this.fail(r.error, 'step', true);
    if (this.view.step === 'otp' || this.view.step === 'enroll') this.view = { ...this.view, resendAt: Date.now() + r.data.resendAfter * 1000 };
    this.resent = true;
    // The resend button is disabled again by the countdown; the code field is what comes next.
    await this.updateComplete;
    const otp = this.renderRoot.querySelector<VfOtp>('vf-otp');
    await otp?.updateComplete;
    otp?.focus();
  }

  private async advance(answer: StepAnswer): Promise<void> {
    if (answer.step === 'otp') {
      await this.go({ step: 'otp', otp: answer.otp, resendAt: Date.now() + (answer.otp.resendAfter ?? 0) * 1000 }, true);
      return;
    }
    if (answer.step === 'push') {
      await this.go({ step: 'push', push: answer.push }, true);
      return;
    }
    if (answer.step === 'enroll') {
      await this.go({ step: 'enroll', types: answer.enroll.types, enrollment: null, resendAt: 0 }, true);
      return;
    }
    clearTimeout(this.timer);
    this.transaction = '';
    this.send({ v: PROTOCOL_VERSION, type: 'result', token: answer.token });
    // The token is short-lived: when it lapses the page must clear it, as with the transaction.
    const lifetime = api.tokenLifetime(answer.token);
    if (lifetime !== null) this.timer = setTimeout(() => this.expire(), lifetime);
    await this.go({ step: 'done' }, true);
  }

  /** The app answered (or the request expired): on like any step answer. */
  private async onPushAnswer(e: CustomEvent<api.ApiResult<StepAnswer>>): Promise<void> {
    const r = e.detail;
    if (this.view.step !== 'push' && this.view.step !== 'enroll') return;
    if (r.ok) await this.advance(r.data);
    else await this.fail(r.error, 'step', this.focusInside());
  }

  private expire(): void {
    const moveFocus = this.focusInside();
    clearTimeout(this.timer);
    this.run++;
    this.transaction = '';
    this.busy = false;
    void this.showAlert({ key: 'expired' });
    this.send({ v: PROTOCOL_VERSION, type: 'expired' });
    void this.go({ step: 'expired' }, moveFocus);
  }

  private async fail(error: api.ApiError, phase: 'start' | 'step', moveFocus: boolean): Promise<void> {
    const o = outcome(error, phase);
    if (o.kind === 'expired') return this.expire();
    if (o.page) this.send({ v: PROTOCOL_VERSION, type: 'error', code: o.page });
    if (o.kind === 'fatal') {
      clearTimeout(this.timer);
      this.transaction = '';
      void this.showAlert({ key: o.key, ...(o.seconds ? { seconds: o.seconds } : {}) });
      return this.go({ step: 'fatal', retry: o.retry }, moveFocus);
    }
    await this.showAlert({ key: o.key, ...(o.seconds ? { seconds: o.seconds } : {}) });
    if (!o.wrong) return;
    this.invalid = true;
    await this.updateComplete;
    const identify = this.renderRoot.querySelector<VfIdentify>('vf-identify');
    const otp = this.renderRoot.querySelector<VfOtp>('vf-otp');
    await otp?.updateComplete;
    identify?.failed();
    otp?.clear();
    otp?.focus();
  }

  private renderOtp(t: Translator, otp: OtpStep, resendAt: number) {
    return html`<vf-otp
      .t=${t}
      .otp=${otp}
      .resendAt=${resendAt}
      .busy=${this.busy}
      .invalid=${this.invalid}
      .resent=${this.resent}
      @vf-otp=${this.onOtp}
      @vf-resend=${this.onResend}
    ></vf-otp>`;
  }

  private renderStep(t: Translator) {
    const v = this.view;
    switch (v.step) {
      case 'connecting':
        return html`<p class="muted">${t.m.loading}</p>`;
      case 'identify':
        return html`<vf-identify .t=${t} .password=${v.password} .busy=${this.busy} @vf-identify=${this.onIdentify}></vf-identify>`;
      case 'otp':
        return this.renderOtp(t, v.otp, v.resendAt);
      case 'push':
        return html`<vf-push .t=${t} .transaction=${this.transaction} @vf-push-answer=${this.onPushAnswer}></vf-push>`;
      case 'enroll':
        return html`<vf-enroll .t=${t} .types=${v.types} .enrollment=${v.enrollment} .busy=${this.busy} @vf-enroll-type=${this.onEnrollType}></vf-enroll>
          ${
            v.enrollment?.type === 'push'
              ? html`<vf-push path="enroll/push" .t=${t} .transaction=${this.transaction} @vf-push-answer=${this.onPushAnswer}></vf-push>`
              : v.enrollment
                ? this.renderOtp(t, { type: v.enrollment.type, digits: v.enrollment.digits }, v.resendAt)
                : nothing
          }`;
      case 'done':
        return html`<p class="done" tabindex="-1"><span class="check" aria-hidden="true">✓</span>${t.m.signedIn}</p>`;
      case 'expired':
      case 'fatal':
        return v.step === 'fatal' && !v.retry
          ? nothing
          : html`<div class="actions"><button class="primary" type="button" @click=${() => this.start(true)}>${v.step === 'expired' ? t.m.startAgain : t.m.tryAgain}</button></div>`;
    }
  }

  protected override render() {
    const t = this.t;
    // Until the catalogue is in there is no text to show in any language.
    if (!t) return html`<div class="card" aria-busy="true"></div>`;
    const name = this.config?.resourceName;
    const a = this.alert;
    const alertText = a ? (a.seconds ? t.f(t.m[a.key], { time: t.time(a.seconds) }) : t.m[a.key]) : '';
    return html`<div class="card" lang=${t.lang}>
      <h1 tabindex="-1">${name ? t.f(t.m.signInTo, { name }) : t.m.signIn}</h1>
      <div class="alert" role="alert" aria-live="assertive">${alertText}</div>
      ${this.renderStep(t)}
      <div class="footer">
        <vf-lang-select .value=${t.lang} .label=${t.m.language} @vf-lang=${(e: CustomEvent<{ lang: string }>) => this.setLang(e.detail.lang)}></vf-lang-select>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-app': VfApp;
  }
}
