import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { biometricAvailable, unlockWithBiometrics } from './biometric.js';
import { fill, type AppMessages } from './i18n/index.js';
import { base } from './styles.js';
import { createVault, PIN_PATTERN, pinWaitLeft, unlockWithPin } from './vault.js';

/** "in 25 seconds", "in 4 minutes", in the page's language: the time left before the next PIN. */
export function inWords(ms: number, lang: string): string {
  const format = new Intl.RelativeTimeFormat(lang || 'en', { numeric: 'always' });
  const seconds = Math.ceil(ms / 1000);
  return seconds <= 90 ? format.format(seconds, 'second') : format.format(Math.ceil(ms / 60_000), 'minute');
}

/**
 * First start: choose a PIN. Later: unlock by PIN or biometrics. Fires `vf-unlocked`. After too
 * many wrong PINs (vault.ts) it says how long until the next try, counting down, also after a
 * reload.
 */
@customElement('vf-lock')
export class VfLock extends LitElement {
  static override styles = [base];
  @property({ attribute: false }) m!: AppMessages;
  @property() mode: 'new' | 'locked' = 'locked';
  @property({ type: Boolean }) biometric = false;
  @state() private error = '';
  @state() private busy = false;
  @state() private bioNote = '';
  /** Milliseconds until the next PIN may be tried, as last read. */
  @state() private waitLeft = 0;
  private tick: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.mode === 'locked')
      void pinWaitLeft().then((left) => {
        if (left > 0) this.error = this.m.pinTooMany;
        this.waitFor(left);
      });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.tick);
  }

  /** Shows the wait and reads it again every second until it is over. */
  private waitFor(left: number): void {
    clearTimeout(this.tick);
    // The wait is over: what was said about it no longer holds.
    if (left <= 0 && this.waitLeft > 0) this.error = '';
    this.waitLeft = left;
    if (left <= 0) return;
    this.tick = setTimeout(() => void pinWaitLeft().then((l) => this.waitFor(l)), Math.min(1000, left));
  }

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
      else {
        const result = await unlockWithPin(pin);
        if (!result.ok) {
          this.error = [result.tried ? this.m.wrongPin : '', result.waitMs > 0 ? this.m.pinTooMany : ''].filter(Boolean).join(' ');
          this.waitFor(result.waitMs);
          form.reset();
          return;
        }
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
      ${this.waitLeft > 0 ? html`<p id="lock-wait" role="timer">${fill(m.pinWait, { when: inWords(this.waitLeft, document.documentElement.lang) })}</p>` : nothing}
      <button type="submit" ?disabled=${this.busy || this.waitLeft > 0}>${this.busy ? m.working : isNew ? m.create : m.unlock}</button>
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
