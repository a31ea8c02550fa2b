import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { OtpStep } from '../../../shared/protocol.js';
import type { Translator } from '../i18n/index.js';
import { base } from './styles.js';
import './vf-code-input.js';
import type { VfCodeInput } from './vf-code-input.js';
import '../../../shared/ui/vf-qr.js';

const sent = { email: 'otpEmail', sms: 'otpSms', bot: 'otpBot' } as const;

/**
 * Second step: the code from an app or token, a code sent by e-mail/SMS/bot (with resend after
 * a countdown), or the response to an OCRA challenge shown as digits and as a QR code.
 *
 * @fires vf-otp - on submit with a complete code; detail `{otp}`.
 * @fires vf-resend - when the user asks for a new code.
 */
@customElement('vf-otp')
export class VfOtp extends LitElement {
  static override styles = [
    base,
    css`
      .challenge {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.75rem 1rem;
        margin-bottom: 1rem;
      }
      dl,
      dd {
        margin: 0;
      }
      .digits {
        margin-top: 0.25rem;
        font-family: ui-monospace, monospace;
        font-size: 1.5rem;
        font-variant-numeric: tabular-nums;
        letter-spacing: 0.15em;
      }
      vf-code-input {
        margin-bottom: 1rem;
      }
      .resend {
        margin-top: 1rem;
      }
      .resend p {
        margin: 0.5rem 0 0;
      }
    `,
  ];

  @property({ attribute: false }) t!: Translator;
  @property({ attribute: false }) otp!: OtpStep;
  /** When resend becomes possible (ms since the epoch). */
  @property({ type: Number }) resendAt = 0;
  @property({ type: Boolean }) busy = false;
  /** The last code was refused. */
  @property({ type: Boolean }) invalid = false;
  /** A new code was just sent. */
  @property({ type: Boolean }) resent = false;

  @state() private now = Date.now();
  @state() private missing = false;
  @query('vf-code-input') private field!: VfCodeInput | null;
  private tick: ReturnType<typeof setTimeout> | undefined;

  // Done once the code field inside has rendered too, so focus() after it always lands.
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    await this.field?.updateComplete;
    return done;
  }

  override focus(options?: FocusOptions): void {
    this.field?.focus(options);
  }

  clear(): void {
    this.field?.clear();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.tick);
    this.tick = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('resendAt')) {
      this.now = Date.now();
      this.schedule();
    }
  }

  // Wakes up on each whole second before resendAt, so the countdown never shows a stale number.
  private schedule(): void {
    clearTimeout(this.tick);
    this.tick = undefined;
    const left = this.resendAt - Date.now();
    if (left <= 0 || !this.isConnected) return;
    this.tick = setTimeout(
      () => {
        this.now = Date.now();
        this.schedule();
      },
      left % 1000 || 1000,
    );
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.schedule();
  }

  private submit(e: Event): void {
    e.preventDefault();
    if (this.busy) return;
    const otp = this.field?.value ?? '';
    this.missing = otp.length < (this.field?.codeLength ?? 6);
    if (this.missing) {
      this.focus();
      return;
    }
    this.dispatchEvent(new CustomEvent('vf-otp', { detail: { otp }, bubbles: true, composed: true }));
  }

  // The code field lives in its own shadow root, outside this form: Enter is wired by hand.
  private keydown(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.isComposing) this.submit(e);
  }

  private resend(): void {
    if (!this.busy) this.dispatchEvent(new CustomEvent('vf-resend', { bubbles: true, composed: true }));
  }

  private renderChallenge() {
    const { m } = this.t;
    const challenge = this.otp.challenge ?? '';
    return html`<div class="challenge">
      <dl>
        <dt class="muted">${m.challenge}</dt>
        <dd class="digits">${challenge}</dd>
      </dl>
      <vf-qr .value=${challenge} .label=${`${m.qr}: ${challenge}`}></vf-qr>
      <p class="muted">${m.scanQr}</p>
    </div>`;
  }

  private renderResend() {
    const { m, f, time } = this.t;
    const left = Math.ceil((this.resendAt - this.now) / 1000);
    return html`<div class="resend">
      <button type="button" ?disabled=${left > 0} aria-disabled=${this.busy ? 'true' : 'false'} @click=${this.resend}>${m.resend}</button>
      ${left > 0 ? html`<p class="muted countdown">${f(m.resendIn, { time: time(left) })}</p>` : nothing}
      <p class="muted" role="status">${this.resent ? m.resent : nothing}</p>
    </div>`;
  }

  protected override render() {
    const { m, f } = this.t;
    const { type, digits, pin } = this.otp;
    const intro = type === 'ocra' ? m.ocraIntro : type === 'totp' || type === 'hotp' ? f(m.otpApp, { digits }) : m[sent[type]];
    const label = pin ? m.pinAndCode : type === 'ocra' ? m.response : m.code;
    return html`<p>${intro}</p>
      ${type === 'ocra' ? this.renderChallenge() : nothing}
      <form novalidate @submit=${this.submit}>
        <vf-code-input
          .digits=${digits}
          .extraDigits=${pin ? 8 : 0}
          .label=${label}
          .hint=${pin ? m.pinHint : ''}
          .invalid=${this.invalid || this.missing}
          .errorMessage=${this.missing ? m.enterCode : ''}
          @input=${() => (this.missing = false)}
          @keydown=${this.keydown}
        ></vf-code-input>
        <button class="primary" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>${m.verify}</button>
      </form>
      ${type in sent ? this.renderResend() : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-otp': VfOtp;
  }
}
