import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { msUntilNextStep, timeStep } from '../../shared/otp/hotp.js';
import { fill, type AppMessages } from './i18n/index.js';
import { recordCode } from './otp.js';
import type { OtpRecord } from './records.js';
import { base } from './styles.js';

export type CardAction = 'up' | 'down' | 'remove' | 'next' | 'respond';

/** One TOTP/HOTP/OCRA token: its name, code, countdown and actions. Fires `vf-card` {action, id}. */
@customElement('vf-token-card')
export class VfTokenCard extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
        background: var(--card);
        border: 1px solid var(--border);
        border-radius: 8px;
        padding: 0.75rem;
        margin: 0 0 0.75rem;
      }
      .name {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .code {
        font: 600 1.75rem/1.2 ui-monospace, monospace;
        letter-spacing: 0.1em;
        margin: 0.25rem 0;
        background: none;
        border: none;
        color: var(--text);
        padding: 0;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.25rem;
      }
      .row button {
        padding: 0.25rem 0.625rem;
        margin: 0;
      }
      progress {
        width: 100%;
        height: 0.375rem;
        accent-color: var(--accent);
      }
    `,
  ];
  @property({ attribute: false }) m!: AppMessages;
  @property({ attribute: false }) record!: OtpRecord;
  @property({ type: Number }) now = 0;
  @property({ type: Boolean }) hide = false;
  @property({ type: Boolean }) first = false;
  @property({ type: Boolean }) last = false;
  @state() private code = '';
  @state() private shown = false;
  @state() private note = '';
  private codeFor = '';

  override willUpdate() {
    const r = this.record;
    if (r.type === 'ocra') return;
    const key = r.type === 'hotp' ? `${r.id}:${r.counter}` : `${r.id}:${timeStep(this.now, r.period)}`;
    if (key === this.codeFor) return;
    this.codeFor = key;
    void recordCode(r, this.now).then((c) => {
      if (this.codeFor === key) this.code = c;
    });
  }

  private act(action: CardAction) {
    this.dispatchEvent(new CustomEvent('vf-card', { detail: { action, id: this.record.id }, bubbles: true, composed: true }));
  }

  private async copy() {
    try {
      await navigator.clipboard.writeText(this.code);
      this.note = this.m.copied;
    } catch {
      this.note = this.m.copyFailed;
    }
  }

  private get name() {
    const r = this.record;
    return r.issuer && r.account ? `${r.issuer} (${r.account})` : r.issuer || r.account;
  }

  private renderCode() {
    const m = this.m;
    const r = this.record;
    if (r.type === 'ocra') return html`<p class="muted">${r.suite}</p>`;
    const grouped = this.code.length === 8 ? `${this.code.slice(0, 4)} ${this.code.slice(4)}` : `${this.code.slice(0, 3)} ${this.code.slice(3)}`;
    const hidden = this.hide && !this.shown;
    const left = r.type === 'totp' ? Math.ceil(msUntilNextStep(this.now, r.period) / 1000) : 0;
    return html`${
      hidden
        ? html`<button class="code" aria-label=${`${m.showCode}: ${this.name}`} @click=${() => (this.shown = true)}>••• •••</button>`
        : html`<p class="code" data-code=${this.code} aria-live="off">${grouped}</p>`
    }
      ${
        r.type === 'totp'
          ? html`<progress max=${r.period} value=${left} aria-label=${fill(m.secondsLeft, { n: left })}></progress><span class="muted">${fill(m.secondsLeft, { n: left })}</span>`
          : nothing
      }`;
  }

  override render() {
    const m = this.m;
    const r = this.record;
    return html`<div class="name">${this.name}</div>
      ${this.renderCode()}
      <div class="row">
        ${r.type !== 'ocra' ? html`<button class="secondary" @click=${this.copy} ?disabled=${!this.code}>${m.copy}</button>` : nothing}
        ${r.type === 'hotp' ? html`<button class="secondary" @click=${() => this.act('next')}>${m.nextCode}</button>` : nothing}
        ${r.type === 'ocra' ? html`<button class="secondary" @click=${() => this.act('respond')}>${m.respond}</button>` : nothing}
        <button class="secondary" aria-label=${fill(m.moveUp, { name: this.name })} ?disabled=${this.first} @click=${() => this.act('up')}>↑</button>
        <button class="secondary" aria-label=${fill(m.moveDown, { name: this.name })} ?disabled=${this.last} @click=${() => this.act('down')}>↓</button>
        <button class="secondary" @click=${() => this.act('remove')}>${m.remove}</button>
        <span role="status">${this.note}</span>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-token-card': VfTokenCard;
  }
}
