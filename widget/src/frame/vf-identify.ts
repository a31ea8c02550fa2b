import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Translator } from '../i18n/index.js';
import { base } from './styles.js';

export interface VfIdentifyDetail {
  login: string;
  password?: string;
}

/**
 * First step: the login, and the password when the resource asks for one. A real <form> with
 * username/current-password autocomplete so password managers fill it.
 *
 * @fires vf-identify - on submit with both fields filled in; detail `{login, password?}`.
 */
@customElement('vf-identify')
export class VfIdentify extends LitElement {
  static override styles = base;

  @property({ attribute: false }) t!: Translator;
  @property({ type: Boolean }) password = false;
  /** A request is running: submits are ignored (the button stays focusable). */
  @property({ type: Boolean }) busy = false;

  @state() private missing: 'login' | 'password' | null = null;
  @query('#login') private loginInput!: HTMLInputElement | null;
  @query('#password') private passwordInput!: HTMLInputElement | null;

  override focus(options?: FocusOptions): void {
    const toPassword = this.passwordInput && this.loginInput?.value && this.missing !== 'login';
    (toPassword ? this.passwordInput : this.loginInput)?.focus(options);
  }

  /** After a refused attempt: the password is typed again, the login is kept. */
  failed(): void {
    if (this.passwordInput) this.passwordInput.value = '';
    this.focus();
  }

  private submit(e: Event): void {
    e.preventDefault();
    if (this.busy) return;
    const login = this.loginInput?.value.trim() ?? '';
    const password = this.passwordInput?.value ?? '';
    this.missing = !login ? 'login' : this.password && !password ? 'password' : null;
    if (this.missing) {
      void this.updateComplete.then(() => (this.missing === 'login' ? this.loginInput : this.passwordInput)?.focus());
      return;
    }
    const detail: VfIdentifyDetail = this.password ? { login, password } : { login };
    this.dispatchEvent(new CustomEvent('vf-identify', { detail, bubbles: true, composed: true }));
  }

  private field(id: 'login' | 'password', label: string, error: string) {
    const missing = this.missing === id;
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        name=${id === 'login' ? 'username' : 'password'}
        type=${id === 'login' ? 'text' : 'password'}
        autocomplete=${id === 'login' ? 'username' : 'current-password'}
        autocapitalize="none"
        spellcheck="false"
        aria-invalid=${missing ? 'true' : 'false'}
        aria-describedby=${missing ? `${id}-error` : nothing}
        @input=${() => missing && ((this.missing = null))}
      />
      ${missing ? html`<p id="${id}-error" class="field-error">${error}</p>` : nothing}
    </div>`;
  }

  protected override render() {
    const { m } = this.t;
    return html`<form novalidate @submit=${this.submit}>
      ${this.field('login', m.login, m.enterLogin)} ${this.password ? this.field('password', m.password, m.enterPassword) : nothing}
      <button class="primary" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>${m.continue}</button>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-identify': VfIdentify;
  }
}
