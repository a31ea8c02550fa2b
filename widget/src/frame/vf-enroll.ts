import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { EnrollAnswer, WidgetEnrollType } from '../../../shared/protocol.js';
import type { Translator } from '../i18n/index.js';
import { base } from './styles.js';
import '../../../shared/ui/vf-qr.js';

const labels = { totp: 'enrollTotp', hotp: 'enrollHotp', email: 'enrollEmail', sms: 'enrollSms', bot: 'enrollBot', push: 'enrollPush' } as const;

/**
 * Enrolment during login (DESIGN §12): the user has no token here yet. First the kinds of token
 * the resource allows, then what to add to an authenticator (QR code and key) or where a code
 * was sent; the confirming code is typed into the `vf-otp` step the app shows below.
 *
 * @fires vf-enroll-type - when a kind is chosen; detail `{type}`.
 */
@customElement('vf-enroll')
export class VfEnroll extends LitElement {
  static override styles = [
    base,
    css`
      .types {
        display: grid;
        gap: 0.5rem;
      }
      .key {
        font-family: ui-monospace, monospace;
        overflow-wrap: anywhere;
      }
      vf-qr {
        margin: 0 0 0.75rem;
      }
    `,
  ];

  @property({ attribute: false }) t!: Translator;
  @property({ attribute: false }) types: WidgetEnrollType[] = [];
  @property({ attribute: false }) enrollment: EnrollAnswer | null = null;
  @property({ type: Boolean }) busy = false;

  private choose(type: WidgetEnrollType): void {
    if (!this.busy) this.dispatchEvent(new CustomEvent('vf-enroll-type', { detail: { type }, bubbles: true, composed: true }));
  }

  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLElement>('button')?.focus(options);
  }

  protected override render() {
    const { m, f } = this.t;
    const e = this.enrollment;
    if (!e) {
      return html`<p>${m.enrollIntro}</p>
        <div class="types">
          ${this.types.map((type) => html`<button type="button" aria-disabled=${this.busy ? 'true' : 'false'} @click=${() => this.choose(type)}>${m[labels[type]]}</button>`)}
        </div>`;
    }
    if (e.sentTo) return html`<p>${f(m.enrollSent, { to: e.sentTo })}</p>`;
    // The app is served by this server: its address is this page's origin.
    if (e.pushUri) return html`<p>${f(m.enrollPushScan, { url: `${location.origin}/app/` })}</p><vf-qr .value=${e.pushUri} .label=${m.enrollQr}></vf-qr>`;
    return html`<p>${m.enrollScan}</p>
      ${e.otpauthUri ? html`<vf-qr .value=${e.otpauthUri} .label=${m.enrollQr}></vf-qr>` : nothing}
      ${e.secret ? html`<p class="muted">${m.enrollKey} <span class="key">${e.secret}</span></p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-enroll': VfEnroll;
  }
}
