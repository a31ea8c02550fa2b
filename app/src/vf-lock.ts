import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { biometricAvailable, unlockWithBiometrics } from './biometric.js';
import type { AppMessages } from './i18n/index.js';
import { base } from './styles.js';
import { createVault, PIN_PATTERN, unlockWithPin } from './vault.js';

/** First start: choose a PIN. Later: unlock by PIN or biometrics. Fires `vf-unlocked`. */
@customElement('vf-lock')
export class VfLock extends LitElement {
  static override styles = [base];
  @property({ attribute: false }) m!: AppMessages;
  @property() mode: 'new' | 'locked' = 'locked';
  @property({ type: Boolean }) biometric = false;
  @state() private error = '';
  @state() private busy = false;
  @state() private bioNote = '';

  private done() {
    this.dispatchEvent(new CustomEvent('vf-unlocked', { bubbles: true, composed: true }));
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const pin = (form.elements.namedItem('pin') as HTMLInputElement).value;
    this.error = '';
    if (!PIN_PATTERN.test(pin)) return void (this.error = this.m.pinFormat);
    if (this.mode === 'new' && pin !== (form.elements.namedItem('pin2') as HTMLInputElement).value) return void (this.error = this.m.pinMismatch);
    this.busy = true;
    try {
      if (this.mode === 'new') await createVault(pin);
      else if (!(await unlockWithPin(pin))) {
        this.error = this.m.wrongPin;
        form.reset();
        return;
      }
      this.done();
    } finally {
      this.busy = false;
    }
  }

  private async bio() {
    this.bioNote = '';
    if (!(await biometricAvailable())) return void (this.bioNote = this.m.biometricUnavailable);
    if (await unlockWithBiometrics()) this.done();
    else this.bioNote = this.m.biometricFailed;
  }

  override render() {
    const m = this.m;
    const isNew = this.mode === 'new';
    return html`<form @submit=${this.submit} novalidate aria-describedby="lock-help">
      <h2>${isNew ? m.setupTitle : m.unlockTitle}</h2>
      ${isNew ? html`<p id="lock-help">${m.setupHelp}</p>` : nothing}
      <label for="pin">${m.pin}</label>
      <input id="pin" name="pin" type="password" inputmode="numeric" autocomplete=${isNew ? 'new-password' : 'current-password'} required
        aria-invalid=${this.error ? 'true' : 'false'} aria-describedby="lock-error" />
      ${isNew ? html`<label for="pin2">${m.pinRepeat}</label><input id="pin2" name="pin2" type="password" inputmode="numeric" autocomplete="new-password" required />` : nothing}
      <p id="lock-error" class="error" role="alert">${this.error}</p>
      <button type="submit" ?disabled=${this.busy}>${this.busy ? m.working : isNew ? m.create : m.unlock}</button>
      ${!isNew && this.biometric ? html`<button type="button" class="secondary" @click=${this.bio}>${m.biometricUnlock}</button>` : nothing}
      <p class="muted" role="status">${this.bioNote}</p>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-lock': VfLock;
  }
}
