import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, type Token } from '../api.js';
import { failure, fieldError, formError, svgDataUri, type Failure } from '../forms.js';
import { msg } from '../i18n/index.js';
import { base } from '../styles.js';
import type { Confirmation } from './wizard-types.js';

declare global {
  interface HTMLElementEventMap {
    'token-confirmed': CustomEvent<{ token: Token }>;
  }
}

/**
 * The confirming step of a new token: a code from the authenticator (its QR code and secret
 * shown this once) or a code the server sends to the token's user; a valid code and Complete
 * activate the token (POST /tokens/{id}/confirm).
 */
@customElement('vf-token-confirm')
export class VfTokenConfirm extends LitElement {
  static override styles = [base];
  /** The token as created, with its otpauth URI and QR code for `scan`. */
  @property({ attribute: false }) token!: Token;
  @property() how: Confirmation = 'scan';
  @state() private sentTo = '';
  @state() private sendNote = '';
  @state() private error: Failure | undefined;
  @state() private busy = false;

  override connectedCallback() {
    super.connectedCallback();
    if (this.how === 'sent') void this.send();
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

  private send() {
    this.sendNote = '';
    return this.run(async () => {
      const sent = await api.post<{ sentTo: string }>(`tokens/${this.token.id}/confirmation`);
      this.sentTo = sent.sentTo;
      this.sendNote = msg((m) => m.wizard.sentTo, { to: sent.sentTo });
    });
  }

  private complete(e: SubmitEvent) {
    e.preventDefault();
    const otp = String(new FormData(e.target as HTMLFormElement).get('otp') ?? '').trim();
    if (!/^\d{4,10}$/.test(otp)) {
      this.error = { message: msg((m) => m.wizard.otpDigits), field: 'otp' };
      return;
    }
    void this.run(async () => {
      const token = await api.post<Token>(`tokens/${this.token.id}/confirm`, { otp });
      this.dispatchEvent(new CustomEvent('token-confirmed', { detail: { token }, bubbles: true, composed: true }));
    });
  }

  private scanPart() {
    const t = this.token;
    const secret = new URL(t.otpauthUri!).searchParams.get('secret') ?? '';
    return html`<p>${msg((m) => m.wizard.scan)}</p>
      <img class="qr" src=${svgDataUri(t.qrSvg!)} alt=${msg((m) => m.wizard.qrAlt)} />
      <p>${msg((m) => m.enrol.secret)}: <code data-secret>${secret}</code></p>`;
  }

  private sentPart() {
    return html`<p class="ok" role="status">${this.sendNote}</p>
      <button type="button" ?disabled=${this.busy} @click=${() => void this.send()}>${msg((m) => (this.sentTo ? m.wizard.sendAgain : m.wizard.send))}</button>`;
  }

  override render() {
    return html`${this.how === 'scan' ? this.scanPart() : this.sentPart()}
      <p class="muted">${msg((m) => m.wizard.pendingNote)}</p>
      <form @submit=${this.complete} novalidate>
        <p>${this.how === 'scan' ? msg((m) => m.wizard.enterOtp) : msg((m) => m.wizard.enterSentOtp)}</p>
        <label for="otp">${msg((m) => m.wizard.otp)}</label>
        <input id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" required
          aria-invalid=${this.error?.field === 'otp' ? 'true' : 'false'} aria-describedby="otp-error" />
        ${fieldError(this.error, 'otp', 'otp-error')}
        ${formError(this.error, ['otp'])}
        <button class="primary" ?disabled=${this.busy}>${msg((m) => m.wizard.complete)}</button>
      </form>`;
  }
}
