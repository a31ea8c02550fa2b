import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Token } from '../api.js';
import { msg } from '../i18n/index.js';
import { base } from '../styles.js';

export type ActiveAction = { active: boolean } | { bypassHours: 1 | 8 | 12 | 24 } | { bypassPermanent: true } | { bypassOff: true };

declare global {
  interface HTMLElementEventMap {
    'active-action': CustomEvent<{ tokenId: string; action: ActiveAction }>;
  }
}

/** The Tokens list's Active column: the state, and a menu to (de)activate or set a bypass. */
@customElement('vf-active-menu')
export class VfActiveMenu extends LitElement {
  static override styles = [base];
  @property({ attribute: false }) token!: Token;
  @state() private open = false;

  private pick(action: ActiveAction) {
    this.open = false;
    this.dispatchEvent(new CustomEvent('active-action', { detail: { tokenId: this.token.id, action }, bubbles: true, composed: true }));
  }

  override render() {
    const t = this.token;
    const bypass = t.bypass.permanent
      ? msg((m) => m.tokens.bypassForever)
      : t.bypass.until && Date.parse(t.bypass.until) > Date.now()
        ? msg((m) => m.tokens.bypassUntil, { time: new Date(t.bypass.until).toLocaleString() })
        : '';
    const state = `${t.active ? msg((m) => m.tokens.on) : msg((m) => m.tokens.off)}${bypass ? `, ${bypass}` : ''}`;
    return html`<button aria-haspopup="true" aria-expanded=${this.open ? 'true' : 'false'} @click=${() => (this.open = !this.open)}
        @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && ((this.open = false))}>
        ${msg((m) => m.tokens.activeMenu, { state })}
      </button>
      ${
        this.open
          ? html`<ul class="panel" @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && ((this.open = false))}>
            <li><button @click=${() => this.pick({ active: !t.active })}>${t.active ? msg((m) => m.tokens.deactivate) : msg((m) => m.tokens.activate)}</button></li>
            ${([1, 8, 12, 24] as const).map((h) => html`<li><button @click=${() => this.pick({ bypassHours: h })}>${msg((m) => m.tokens.bypassFor, { hours: h })}</button></li>`)}
            <li><button @click=${() => this.pick({ bypassPermanent: true })}>${msg((m) => m.tokens.bypassPermanent)}</button></li>
            <li><button @click=${() => this.pick({ bypassOff: true })}>${msg((m) => m.tokens.bypassOff)}</button></li>
          </ul>`
          : ''
      }`;
  }
}

/** The API call behind a menu choice. */
export function activeRequest(action: ActiveAction): { method: 'PATCH' | 'POST' | 'DELETE'; suffix: string; body?: unknown } {
  if ('active' in action) return { method: 'PATCH', suffix: '', body: { active: action.active } };
  if ('bypassHours' in action) return { method: 'POST', suffix: '/bypass', body: { hours: action.bypassHours } };
  if ('bypassPermanent' in action) return { method: 'POST', suffix: '/bypass', body: { permanent: true } };
  return { method: 'DELETE', suffix: '/bypass' };
}
