import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import * as api from './api.js';
import { fill, isLang, languageNames, languages, pickLang, type Lang, type PortalMessages } from './i18n/index.js';
import { base, theme } from './styles.js';
import type { Field, VfPortalForm } from './vf-portal-form.js';
import './vf-portal-form.js';
import './vf-portal-home.js';

type Step = 'loading' | 'login' | 'password' | 'code' | 'otp' | 'push' | 'again' | 'home';
type FormStep = Exclude<Step, 'loading' | 'push' | 'again' | 'home'>;

/** How often the page asks whether the authenticator app answered (asking costs nothing). */
export const PUSH_POLL_MS = 1_500;

/**
 * The portal page: sign-in (login → password or e-mailed code → token code, or approval in the
 * authenticator app for a push token), then the home. After a denied or unanswered approval it
 * says why and offers to start again.
 */
@customElement('vf-portal')
export class VfPortal extends LitElement {
  static override styles = [
    theme,
    base,
    css`
      :host {
        min-height: 100vh;
        background: var(--bg);
        padding: 1rem;
      }
      main {
        max-width: 44rem;
        margin: 0 auto;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
        justify-content: space-between;
        margin: 0 0 1rem;
      }
      h1 {
        font-size: 1.375rem;
        margin: 0;
      }
      .tools {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
      .tools select {
        width: auto;
        margin: 0;
      }
      .tools label {
        margin: 0;
      }
      .alert {
        color: var(--error);
        min-height: 1.5rem;
        margin: 0 0 0.5rem;
      }
    `,
  ];

  @property() address = '';
  @property() resourceName = '';
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'auto';
  @state() private language: Lang = 'en';
  @state() private step: Step = 'loading';
  @state() private error = '';
  @state() private busy = false;
  private pushTimer: ReturnType<typeof setTimeout> | undefined;

  get t(): PortalMessages {
    return languages[this.language];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.language = pickLang(new URLSearchParams(location.search).get('lang'));
    api.configure(this.address);
    void this.resume();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.pushTimer);
  }

  /** After a reload: a live session goes straight home. */
  private async resume(): Promise<void> {
    const r = await api.call('GET', 'me');
    this.step = r.ok ? 'home' : 'login';
  }

  showError(code: string): void {
    if (code === 'session_required' && this.step === 'home') {
      api.forget();
      this.step = 'login';
    }
    const errors = this.t.errors as Record<string, string>;
    this.error = errors[code] ?? this.t.errors.other;
  }

  private async onStep(e: CustomEvent<Record<string, string>>): Promise<void> {
    const v = e.detail;
    const paths = {
      login: ['sign-in', { login: v.login }],
      password: ['password', { password: v.password }],
      code: ['code', { code: v.code }],
      otp: ['otp', { otp: v.otp }],
    } as const;
    if (!(this.step in paths)) return;
    const [path, body] = paths[this.step as FormStep];
    this.busy = true;
    this.error = '';
    const r = await api.call('POST', path, body);
    this.busy = false;
    if (!r.ok) {
      this.showError(r.code);
      if (this.step !== 'login' && (r.code === 'session_required' || r.code === 'code_expired')) this.step = 'login';
      (e.target as VfPortalForm).focus();
      return;
    }
    await this.moveTo(r.data.step === 'done' ? 'home' : (r.data.step as Step));
  }

  /** Shows a step and puts the focus where it starts; the push step starts asking the server. */
  private async moveTo(step: Step): Promise<void> {
    this.step = step;
    clearTimeout(this.pushTimer);
    if (step === 'push') this.pushTimer = setTimeout(() => void this.askPush(), PUSH_POLL_MS);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('vf-portal-form, #push-intro, #again')?.focus();
  }

  /** Whether the app answered: again later while it waits, home when approved, else why not. */
  private async askPush(): Promise<void> {
    const r = await api.call('POST', 'push', {});
    if (this.step !== 'push') return;
    if (r.ok && r.data.step === 'push') {
      this.pushTimer = setTimeout(() => void this.askPush(), PUSH_POLL_MS);
      return;
    }
    if (r.ok) return this.moveTo(r.data.step === 'done' ? 'home' : 'login');
    // A dropped connection is no answer: ask again.
    if (r.code === 'network') {
      this.pushTimer = setTimeout(() => void this.askPush(), PUSH_POLL_MS);
      return;
    }
    this.showError(r.code);
    await this.moveTo('again');
  }

  private async startAgain(): Promise<void> {
    this.error = '';
    await this.moveTo('login');
  }

  private async signOut(): Promise<void> {
    await api.call('POST', 'sign-out');
    api.forget();
    this.error = '';
    this.step = 'login';
  }

  private renderSignIn(t: PortalMessages) {
    if (this.step === 'push')
      return html`<p id="push-intro" tabindex="-1">${t.pushIntro}</p>
        <p class="muted" role="status">${t.pushWaiting}</p>`;
    if (this.step === 'again') return html`<button id="again" type="button" @click=${this.startAgain}>${t.startAgain}</button>`;
    const fields: Record<FormStep, Field[]> = {
      login: [{ name: 'login', label: t.login, autocomplete: 'username' }],
      password: [{ name: 'password', label: t.password, type: 'password', autocomplete: 'current-password' }],
      code: [{ name: 'code', label: t.emailCode, autocomplete: 'one-time-code', inputmode: 'numeric' }],
      otp: [{ name: 'otp', label: t.otp, autocomplete: 'one-time-code', inputmode: 'numeric' }],
    };
    if (!(this.step in fields)) return nothing;
    const step = this.step as FormStep;
    return html`${this.step === 'code' ? html`<p>${t.emailCodeHint}</p>` : this.step === 'otp' ? html`<p>${t.otpHint}</p>` : nothing}
      <vf-portal-form name=${step} .fields=${fields[step]} submit=${t.continue} ?busy=${this.busy} @vf-form=${this.onStep}></vf-portal-form>`;
  }

  protected override render() {
    const t = this.t;
    document.documentElement.lang = this.language;
    document.title = this.resourceName ? fill(t.titleOf, { name: this.resourceName }) : t.title;
    return html`<main>
      <header>
        <h1>${document.title}</h1>
        <div class="tools">
          <label for="lang">${t.language}</label>
          <select id="lang" @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            if (isLang(v)) this.language = v;
          }}>
            ${Object.entries(languageNames).map(([code, label]) => html`<option value=${code} ?selected=${code === this.language}>${label}</option>`)}
          </select>
          <button class="secondary" type="button" aria-pressed=${this.theme === 'dark' ? 'true' : 'false'} @click=${() => (this.theme = this.theme === 'dark' ? 'light' : 'dark')}>
            ${this.theme === 'dark' ? t.themeLight : t.themeDark}
          </button>
          ${this.step === 'home' ? html`<button class="secondary" type="button" @click=${this.signOut}>${t.signOut}</button>` : nothing}
        </div>
      </header>
      <p class="alert" role="alert">${this.error}</p>
      ${
        this.step === 'home'
          ? html`<vf-portal-home .t=${t} @vf-error=${(e: CustomEvent<string>) => this.showError(e.detail)} @vf-clear=${() => (this.error = '')}></vf-portal-home>`
          : this.renderSignIn(t)
      }
    </main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-portal': VfPortal;
  }
}
