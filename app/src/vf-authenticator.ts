import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { languages, pickLang, type AppMessages, type Lang } from './i18n/index.js';
import { loadSettings, settingsEvents, type Settings } from './settings.js';
import { base, theme } from './styles.js';
import { header, isUnlocked, lock, vaultEvents, vaultState } from './vault.js';
import './vf-add-token.js';
import './vf-backup.js';
import './vf-confirm.js';
import './vf-lock.js';
import './vf-settings.js';
import './vf-token-list.js';

export type View = 'tokens' | 'add' | 'confirm' | 'backup' | 'settings';
const VIEWS: readonly View[] = ['tokens', 'add', 'confirm', 'backup', 'settings'];

/** The app: lock screen until unlocked, then a header with the views and the current view. */
@customElement('vf-authenticator')
export class VfAuthenticator extends LitElement {
  static override styles = [
    theme,
    base,
    css`
      :host {
        min-height: 100vh;
        background: var(--bg);
        padding: 0.75rem;
      }
      main {
        max-width: 40rem;
        margin: 0 auto;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 0.5rem;
        margin: 0 0 1rem;
      }
      h1 {
        font-size: 1.25rem;
        margin: 0;
      }
      nav {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
        margin: 0 0 1rem;
      }
      nav button {
        margin: 0;
        padding: 0.375rem 0.625rem;
      }
      nav button[aria-current='page'] {
        color: var(--accent-text);
        background: var(--accent);
      }
    `,
  ];
  @state() private vault: 'loading' | 'new' | 'locked' | 'unlocked' = 'loading';
  @state() private view: View = 'tokens';
  @state() private settings: Settings | undefined;
  @state() private biometric = false;
  /** The OCRA token the Confirm view opens with (from a token's Respond button). */
  @state() private confirmToken = '';

  private readonly refresh = async () => {
    this.settings = await loadSettings();
    this.vault = await vaultState();
    this.biometric = Boolean((await header())?.biometric);
    const lang = pickLang(this.settings.lang);
    document.documentElement.lang = lang;
    if (this.settings.theme === 'system') this.removeAttribute('theme');
    else this.setAttribute('theme', this.settings.theme);
  };

  override connectedCallback() {
    super.connectedCallback();
    vaultEvents.addEventListener('change', this.refresh);
    settingsEvents.addEventListener('change', this.refresh);
    void this.refresh();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    vaultEvents.removeEventListener('change', this.refresh);
    settingsEvents.removeEventListener('change', this.refresh);
  }

  get language(): Lang {
    return pickLang(this.settings?.lang ?? null);
  }

  private get m(): AppMessages {
    return languages[this.language];
  }

  /** Opens a view (e.g. from another element's `vf-navigate` event). */
  navigate(view: View, tokenId = '') {
    this.view = view;
    this.confirmToken = tokenId;
  }

  /** Locking also leaves whatever view was open: the next person sees only the lock screen. */
  private readonly lockNow = () => {
    this.navigate('tokens');
    lock();
  };

  private renderView() {
    const m = this.m;
    switch (this.view) {
      case 'add':
        return html`<vf-add-token .m=${m}></vf-add-token>`;
      case 'confirm':
        return html`<vf-confirm .m=${m} .tokenId=${this.confirmToken}></vf-confirm>`;
      case 'backup':
        return html`<vf-backup .m=${m}></vf-backup>`;
      case 'settings':
        return html`<vf-settings .m=${m} .language=${this.language}></vf-settings>`;
      default:
        return html`<vf-token-list .m=${m} ?hide=${this.settings?.hideCodes ?? false}></vf-token-list>`;
    }
  }

  override render() {
    const m = this.m;
    if (this.vault === 'loading') return html`<main><p role="status">${m.working}</p></main>`;
    if (this.vault !== 'unlocked' || !isUnlocked()) {
      return html`<main>
        <header><h1>${m.title}</h1></header>
        <vf-lock .m=${m} mode=${this.vault === 'new' ? 'new' : 'locked'} ?biometric=${this.biometric} @vf-unlocked=${this.refresh}></vf-lock>
      </main>`;
    }
    const label: Record<View, string> = { tokens: m.navTokens, add: m.navAdd, confirm: m.navConfirm, backup: m.navBackup, settings: m.navSettings };
    return html`<main @vf-navigate=${(e: CustomEvent<{ view: View; tokenId?: string }>) => this.navigate(e.detail.view, e.detail.tokenId)}>
      <header>
        <h1>${m.title}</h1>
        <button class="secondary" @click=${this.lockNow}>${m.lockNow}</button>
      </header>
      <nav aria-label=${m.title}>
        ${VIEWS.map((v) => html`<button class="secondary" aria-current=${v === this.view ? 'page' : 'false'} @click=${() => this.navigate(v)}>${label[v]}</button>`)}
      </nav>
      ${this.renderView()}
    </main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-authenticator': VfAuthenticator;
  }
}
