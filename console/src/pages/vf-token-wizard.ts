import { LitElement, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, type Token } from '../api.js';
import { failure, fieldError, formError, svgDataUri, type Failure } from '../forms.js';
import { msg } from '../i18n/index.js';
import { base } from '../styles.js';

declare global {
  interface HTMLElementEventMap {
    'token-created': CustomEvent<{ token: Token }>;
    'wizard-closed': CustomEvent<void>;
  }
}

type Kind = 'hardware' | 'software' | 'universal';
type SoftType = 'totp' | 'hotp' | 'email' | 'sms' | 'bot';

/** Hardware models and the OATH settings each implies (the seeds' guide: choose the model). */
const MODELS: Record<string, { type: 'totp' | 'hotp'; digits: 6 | 8; period: 30 | 60 }> = {
  'OATH TOTP, 6 digits, 30 s': { type: 'totp', digits: 6, period: 30 },
  'OATH TOTP, 6 digits, 60 s': { type: 'totp', digits: 6, period: 60 },
  'OATH TOTP, 8 digits, 30 s': { type: 'totp', digits: 8, period: 30 },
  'OATH HOTP, 6 digits (event based)': { type: 'hotp', digits: 6, period: 30 },
};

const FIELDS = ['name', 'serialNumber', 'secret', 'pin', 'otp'];

/**
 * Create wizard: kind → settings (PIN before/after) → for authenticator tokens the QR code and
 * secret, shown once, and a valid OTP to Complete. Authenticator tokens are created inactive
 * and activated only when a code confirms them, so a token nobody enrolled cannot be used.
 */
@customElement('vf-token-wizard')
export class VfTokenWizard extends LitElement {
  static override styles = [base];
  @state() private step: 'kind' | 'settings' | 'confirm' | 'done' = 'kind';
  @state() private kind: Kind = 'software';
  @state() private softType: SoftType = 'totp';
  @state() private usePin = false;
  @state() private error: Failure | undefined;
  @state() private busy = false;
  @state() private created: Token | undefined;

  private close() {
    this.dispatchEvent(new CustomEvent('wizard-closed', { bubbles: true, composed: true }));
  }

  private async submitSettings(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const text = (k: string) => String(f.get(k) ?? '').trim() || undefined;
    const body: Record<string, unknown> = { kind: this.kind, name: text('name') };
    if (this.kind === 'hardware') {
      const model = MODELS[String(f.get('model'))]!;
      Object.assign(body, { type: model.type, digits: model.digits, period: model.period, serialNumber: text('serialNumber'), secret: text('secret') });
    } else if (this.kind === 'universal') {
      Object.assign(body, {
        type: f.get('otpType'),
        serialNumber: text('serialNumber'),
        secret: text('secret'),
        digits: Number(f.get('digits')),
        period: Number(f.get('period')),
        algorithm: f.get('algorithm'),
      });
    } else {
      body.type = this.softType;
      if (this.softType === 'totp' || this.softType === 'hotp') {
        Object.assign(body, { digits: Number(f.get('digits')), algorithm: f.get('algorithm'), active: false });
        if (this.softType === 'totp') body.period = Number(f.get('period'));
      }
    }
    if (this.usePin) Object.assign(body, { pin: text('pin'), pinPosition: f.get('pinPosition') });
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    await this.run(async () => {
      this.created = await api.post<Token>('tokens', body);
      this.step = this.created.otpauthUri ? 'confirm' : 'done';
      if (this.step === 'done') this.announce();
    });
  }

  private async complete(e: SubmitEvent) {
    e.preventDefault();
    const otp = String(new FormData(e.target as HTMLFormElement).get('otp') ?? '').trim();
    await this.run(async () => {
      const t = this.created!;
      const { valid } = await api.post<{ valid: boolean }>(`tokens/${t.id}/check`, { otp });
      if (!valid) {
        this.error = { message: msg((m) => m.wizard.wrongOtp), field: 'otp' };
        return;
      }
      this.created = await api.patch<Token>(`tokens/${t.id}`, { active: true });
      this.step = 'done';
      this.announce();
    });
  }

  private announce() {
    this.dispatchEvent(new CustomEvent('token-created', { detail: { token: this.created! }, bubbles: true, composed: true }));
  }

  private async run(fn: () => Promise<void>) {
    this.busy = true;
    this.error = undefined;
    try {
      await fn();
    } catch (err) {
      this.error = failure(err);
    } finally {
      this.busy = false;
    }
  }

  private input(name: string, label: string, attrs: { required?: boolean; type?: string; pattern?: string; inputmode?: string } = {}) {
    return html`<label for=${name}>${label}</label>
      <input id=${name} name=${name} type=${attrs.type ?? 'text'} ?required=${attrs.required ?? false} pattern=${attrs.pattern ?? '.*'} inputmode=${attrs.inputmode ?? 'text'}
        aria-invalid=${this.error?.field === name ? 'true' : 'false'} aria-describedby=${`${name}-error`} />
      ${fieldError(this.error, name, `${name}-error`)}`;
  }

  private select(name: string, label: string, options: [string, string][]) {
    return html`<label for=${name}>${label}</label>
      <select id=${name} name=${name}>${options.map(([v, l]) => html`<option value=${v}>${l}</option>`)}</select>`;
  }

  private oath(withPeriod: boolean) {
    return html`${this.select(
      'digits',
      msg((m) => m.wizard.digits),
      [
        ['6', '6'],
        ['8', '8'],
      ],
    )}
      ${
        withPeriod
          ? this.select(
              'period',
              msg((m) => m.wizard.period),
              [
                ['30', '30'],
                ['60', '60'],
              ],
            )
          : ''
      }
      ${this.select(
        'algorithm',
        msg((m) => m.wizard.algorithm),
        [
          ['SHA1', 'SHA1'],
          ['SHA256', 'SHA256'],
          ['SHA512', 'SHA512'],
        ],
      )}`;
  }

  override render() {
    return html`<section class="panel" aria-labelledby="wt">
      <h2 id="wt">${msg((m) => m.wizard.title)}</h2>
      ${this.step === 'kind' ? this.kindStep() : this.step === 'settings' ? this.settingsStep() : this.step === 'confirm' ? this.confirmStep() : this.doneStep()}
    </section>`;
  }

  private kindStep() {
    const kinds: [Kind, string][] = [
      ['hardware', msg((m) => m.wizard.hardware)],
      ['software', msg((m) => m.wizard.software)],
      ['universal', msg((m) => m.wizard.universal)],
    ];
    return html`<fieldset>
        <legend>${msg((m) => m.wizard.step1)}</legend>
        ${kinds.map(([k, l]) => html`<label><input type="radio" name="kind" value=${k} .checked=${this.kind === k} @change=${() => (this.kind = k)} /> ${l}</label>`)}
      </fieldset>
      <div class="row">
        <button class="primary" @click=${() => (this.step = 'settings')}>${msg((m) => m.wizard.next)}</button>
        <button @click=${this.close}>${msg((m) => m.common.cancel)}</button>
      </div>`;
  }

  private settingsStep() {
    const soft: [SoftType, string][] = [
      ['totp', msg((m) => m.wizard.authenticator)],
      ['hotp', msg((m) => m.wizard.authenticatorHotp)],
      ['email', msg((m) => m.wizard.email)],
      ['sms', msg((m) => m.wizard.sms)],
      ['bot', msg((m) => m.wizard.bot)],
    ];
    return html`<form @submit=${this.submitSettings} novalidate>
      ${
        this.kind === 'software'
          ? html`<label for="softType">${msg((m) => m.wizard.softwareType)}</label>
            <select id="softType" @change=${(e: Event) => (this.softType = (e.target as HTMLSelectElement).value as SoftType)}>
              ${soft.map(([v, l]) => html`<option value=${v} ?selected=${v === this.softType}>${l}</option>`)}
            </select>`
          : ''
      }
      ${
        this.kind === 'hardware'
          ? this.select(
              'model',
              msg((m) => m.wizard.hardwareModel),
              Object.keys(MODELS).map((k) => [k, k]),
            )
          : ''
      }
      ${
        this.kind === 'universal'
          ? this.select(
              'otpType',
              msg((m) => m.wizard.otpType),
              [
                ['totp', 'TOTP'],
                ['hotp', 'HOTP'],
              ],
            )
          : ''
      }
      ${this.input(
        'name',
        msg((m) => m.common.name),
      )}
      ${
        this.kind !== 'software'
          ? html`${this.input(
              'serialNumber',
              msg((m) => m.tokens.serial),
              { required: this.kind === 'hardware' },
            )}${this.input(
              'secret',
              msg((m) => m.wizard.secret),
              { required: true },
            )}`
          : ''
      }
      ${this.kind === 'universal' ? this.oath(true) : ''}
      ${this.kind === 'software' && (this.softType === 'totp' || this.softType === 'hotp') ? this.oath(this.softType === 'totp') : ''}
      <label><input type="checkbox" .checked=${this.usePin} @change=${(e: Event) => (this.usePin = (e.target as HTMLInputElement).checked)} /> ${msg((m) => m.wizard.usePin)}</label>
      ${
        this.usePin
          ? html`${this.input(
              'pin',
              msg((m) => m.wizard.pin),
              { inputmode: 'numeric', type: 'password' },
            )}
            ${this.select(
              'pinPosition',
              msg((m) => m.wizard.pinPosition),
              [
                ['before', msg((m) => m.wizard.before)],
                ['after', msg((m) => m.wizard.after)],
              ],
            )}`
          : ''
      }
      ${formError(this.error, FIELDS)}
      <div class="row">
        <button type="button" @click=${() => (this.step = 'kind')}>${msg((m) => m.wizard.back)}</button>
        <button class="primary" ?disabled=${this.busy}>${msg((m) => m.wizard.next)}</button>
      </div>
    </form>`;
  }

  private confirmStep() {
    const t = this.created!;
    const secret = new URL(t.otpauthUri!).searchParams.get('secret') ?? '';
    return html`<p>${msg((m) => m.wizard.scan)}</p>
      <img class="qr" src=${svgDataUri(t.qrSvg!)} alt=${msg((m) => m.wizard.qrAlt)} />
      <p>${msg((m) => m.enrol.secret)}: <code data-secret>${secret}</code></p>
      <p class="muted">${msg((m) => m.wizard.pendingNote)}</p>
      <form @submit=${this.complete}>
        <p>${msg((m) => m.wizard.enterOtp)}</p>
        ${this.input(
          'otp',
          msg((m) => m.wizard.otp),
          { required: true, inputmode: 'numeric', pattern: '[0-9]{6,8}' },
        )}
        ${formError(this.error, FIELDS)}
        <button class="primary" ?disabled=${this.busy}>${msg((m) => m.wizard.complete)}</button>
      </form>`;
  }

  private doneStep() {
    return html`<p class="ok" role="status">${msg((m) => m.wizard.created, { name: this.created!.name })}</p>
      <div class="row">
        <a href=${`/console/tokens/${this.created!.id}`}>${this.created!.name}</a>
        <button @click=${this.close}>${msg((m) => m.common.close)}</button>
      </div>`;
  }
}
