import { LitElement, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, type Token, type User } from '../api.js';
import { failure, fieldError, formError, type Failure } from '../forms.js';
import { msg } from '../i18n/index.js';
import { base } from '../styles.js';
import type { Pickable } from './vf-picker.js';
import { MODELS, SOFTWARE_TYPES, type Kind, type SoftwareType } from './wizard-types.js';
import './vf-picker.js';
import './vf-token-confirm.js';

/** A user as the picker lists it: login and the addresses codes can go to. */
const describeUser = (u: User) => [u.login, u.email, u.phone].filter(Boolean).join(' · ');

declare global {
  interface HTMLElementEventMap {
    'token-created': CustomEvent<{ token: Token }>;
    'wizard-closed': CustomEvent<void>;
  }
}

const FIELDS = ['name', 'serialNumber', 'secret', 'pin'];

/**
 * Create wizard: kind → settings (PIN before/after; for a token whose code is sent, its user) →
 * the confirming step (vf-token-confirm) for software tokens → done. Software tokens are created
 * inactive and become usable only when a valid code confirms them; hardware and universal
 * tokens are devices that exist already (Check OTP tests them).
 */
@customElement('vf-token-wizard')
export class VfTokenWizard extends LitElement {
  static override styles = [base];
  @state() private step: 'kind' | 'settings' | 'confirm' | 'done' = 'kind';
  @state() private kind: Kind = 'software';
  @state() private soft: SoftwareType = SOFTWARE_TYPES[0]!;
  @state() private usePin = false;
  @state() private error: Failure | undefined;
  @state() private busy = false;
  @state() private created: Token | undefined;
  @state() private user: User | undefined;
  @state() private userError = '';

  private close() {
    this.dispatchEvent(new CustomEvent('wizard-closed', { bubbles: true, composed: true }));
  }

  /** The token's settings from the form, as POST /tokens takes them. */
  private body(f: FormData): Record<string, unknown> {
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
      Object.assign(body, { type: this.soft.type, active: false });
      if (this.soft.oath) Object.assign(body, { digits: Number(f.get('digits')), algorithm: f.get('algorithm') });
      if (this.soft.oath?.period) body.period = Number(f.get('period'));
    }
    if (this.usePin) Object.assign(body, { pin: text('pin'), pinPosition: f.get('pinPosition') });
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    return body;
  }

  /** A `sent` token needs a user with the address its code goes to; the reason in words, or ''. */
  private userProblem(): string {
    const address = this.soft.address;
    if (this.kind !== 'software' || !address) return '';
    if (!this.user) return msg((m) => m.wizard.userRequired);
    if (!this.user[address]) return msg((m) => (address === 'email' ? m.wizard.userNoEmail : m.wizard.userNoPhone), { login: this.user!.login });
    return '';
  }

  private async submitSettings(e: SubmitEvent) {
    e.preventDefault();
    const body = this.body(new FormData(e.target as HTMLFormElement));
    this.userError = this.userProblem();
    if (this.userError) return;
    await this.run(async () => {
      this.created = await api.post<Token>('tokens', body);
      if (this.kind === 'software' && this.user && this.soft.confirm === 'sent') {
        this.created = await api.put<Token>(`tokens/${this.created.id}/user`, { userId: this.user.id });
      }
      this.step = this.kind === 'software' ? 'confirm' : 'done';
      if (this.step === 'done') this.announce();
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
    return html`<form @submit=${this.submitSettings} novalidate>
      ${
        this.kind === 'software'
          ? html`<label for="softType">${msg((m) => m.wizard.softwareType)}</label>
            <select id="softType" @change=${(e: Event) => {
              this.soft = SOFTWARE_TYPES.find((t) => t.type === (e.target as HTMLSelectElement).value)!;
              this.userError = '';
            }}>
              ${SOFTWARE_TYPES.map((t) => html`<option value=${t.type} ?selected=${t === this.soft}>${t.label()}</option>`)}
            </select>
            ${
              this.soft.address
                ? html`<p class="muted">${msg((m) => (this.soft.address === 'email' ? m.wizard.sentToEmail : m.wizard.sentToPhone))}</p>
                  <vf-picker path="users" .label=${msg((m) => m.tokens.user)} .error=${this.userError}
                    .describe=${(u: Pickable) => describeUser(u as unknown as User)}
                    @pick-change=${(e: CustomEvent<{ item: Pickable | undefined }>) => {
                      this.user = e.detail.item as unknown as User | undefined;
                      this.userError = '';
                    }}></vf-picker>`
                : ''
            }`
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
      ${this.kind === 'software' && this.soft.oath ? this.oath(this.soft.oath.period) : ''}
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
    return html`<vf-token-confirm .token=${this.created!} .how=${this.soft.confirm}
      @token-confirmed=${(e: CustomEvent<{ token: Token }>) => {
        this.created = e.detail.token;
        this.step = 'done';
        this.announce();
      }}></vf-token-confirm>`;
  }

  private doneStep() {
    return html`<p class="ok" role="status">${msg((m) => m.wizard.created, { name: this.created!.name })}</p>
      <div class="row">
        <a href=${`/console/tokens/${this.created!.id}`}>${this.created!.name}</a>
        <button @click=${this.close}>${msg((m) => m.common.close)}</button>
      </div>`;
  }
}
