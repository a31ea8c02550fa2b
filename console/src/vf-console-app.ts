import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ApiError, SESSION_ENDED, api, setCsrf, type Session } from './api.js';
import { msg } from './i18n/index.js';
import { NAVIGATED, navigate } from './navigation.js';
import { BASE, resolve } from './router.js';
import { base } from './styles.js';
import './vf-sign-in.js';

type Theme = 'auto' | 'light' | 'dark';
const THEME_KEY = 'vf-console-theme';

function applyTheme(theme: Theme) {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme === 'auto' ? 'light dark' : theme;
}

/** The shell: session, navigation, theme, and the lazily loaded page of the current path. */
@customElement('vf-console-app')
export class VfConsoleApp extends LitElement {
  static override styles = [
    base,
    css`
      :host { display: block; min-height: 100vh; background: var(--vf-bg); }
      header { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; padding: 0.5rem 1rem; border-bottom: 1px solid var(--vf-line); background: var(--vf-panel); }
      header strong { margin-right: auto; }
      nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; list-style: none; margin: 0; padding: 0; }
      nav a[aria-current='page'] { font-weight: 700; }
      main { padding: 1rem; max-width: 72rem; margin: 0 auto; }
      .skip { position: absolute; left: -999px; }
      .skip:focus { left: 0.5rem; top: 0.5rem; background: var(--vf-bg); padding: 0.5rem; z-index: 1; }
      vf-sign-in { display: block; max-width: 28rem; margin: 2rem auto; padding: 0 0.5rem; }
    `,
  ];

  @state() private session: Session | undefined;
  @state() private phase: 'loading' | 'signed-out' | 'in' = 'loading';
  @state() private path = location.pathname;
  @state() private pageReady = false;
  @state() private theme: Theme = (localStorage.getItem(THEME_KEY) as Theme | null) ?? 'auto';

  private readonly onPop = () => this.route();
  private readonly onEnded = () => {
    this.session = undefined;
    setCsrf('');
    this.phase = 'signed-out';
  };

  override connectedCallback() {
    super.connectedCallback();
    applyTheme(this.theme);
    window.addEventListener('popstate', this.onPop);
    window.addEventListener(NAVIGATED, this.onPop);
    window.addEventListener(SESSION_ENDED, this.onEnded);
    void this.loadSession();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.onPop);
    window.removeEventListener(NAVIGATED, this.onPop);
    window.removeEventListener(SESSION_ENDED, this.onEnded);
  }

  private async loadSession() {
    try {
      this.signedIn(await api.get<Session>('/console/api/session'));
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) console.warn(err);
      this.phase = 'signed-out';
    }
  }

  private signedIn(session: Session) {
    this.session = session;
    setCsrf(session.csrf);
    this.phase = 'in';
    this.route();
  }

  private route() {
    this.path = location.pathname;
    const r = resolve(this.path);
    this.pageReady = false;
    if (r) void r.load().then(() => (this.pageReady = true));
  }

  private async signOut() {
    try {
      await api.del('/console/api/session');
    } catch {
      // Signed out either way: the cookie is cleared by the server or already worthless.
    }
    this.onEnded();
  }

  private setTheme(e: Event) {
    this.theme = (e.target as HTMLSelectElement).value as Theme;
    localStorage.setItem(THEME_KEY, this.theme);
    applyTheme(this.theme);
  }

  /** Links inside the console change the page without reloading. */
  private onClick(e: MouseEvent) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    const a = e.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    const href = a?.getAttribute('href');
    if (!a || !href || !href.startsWith(BASE) || a.target) return;
    e.preventDefault();
    navigate(href);
  }

  override render() {
    if (this.phase === 'loading') return html`<p role="status">${msg((m) => m.loading)}</p>`;
    if (this.phase === 'signed-out') return html`<vf-sign-in @signed-in=${(e: CustomEvent<Session>) => this.signedIn(e.detail)}></vf-sign-in>`;
    const admin = this.session!.admin;
    const links: [string, string][] = [
      [BASE, msg((m) => m.nav.dashboard)],
      [`${BASE}tokens`, msg((m) => m.nav.tokens)],
      [`${BASE}users`, msg((m) => m.nav.users)],
      [`${BASE}resources`, msg((m) => m.nav.resources)],
      [`${BASE}filters`, msg((m) => m.nav.filters)],
      [`${BASE}events`, msg((m) => m.nav.events)],
      [`${BASE}admins`, msg((m) => m.nav.admins)],
    ];
    const r = resolve(this.path);
    return html`<div @click=${this.onClick}>
      <header>
        <button class="skip" @click=${() => this.renderRoot.querySelector<HTMLElement>('#main')?.focus()}>${msg((m) => m.skipToContent)}</button>
        <strong>${msg((m) => m.appName)}</strong>
        <nav aria-label=${msg((m) => m.common.mainNav)}>
          <ul>
            ${links.map(([href, label]) => html`<li><a href=${href} aria-current=${this.isCurrent(href) ? 'page' : nothing}>${label}</a></li>`)}
          </ul>
        </nav>
        <label class="row"
          >${msg((m) => m.theme.label)}
          <select @change=${this.setTheme} .value=${this.theme}>
            ${(['auto', 'light', 'dark'] as const).map((t) => html`<option value=${t} ?selected=${t === this.theme}>${msg((m) => m.theme[t])}</option>`)}
          </select></label
        >
        <span class="muted">${msg((m) => m.signedInAs, { name: admin.login ?? admin.name })}</span>
        <button @click=${this.signOut}>${msg((m) => m.signOut)}</button>
      </header>
      <main id="main" tabindex="-1">
        ${!r ? html`<p>${msg((m) => m.errors.notFound)}</p>` : this.pageReady ? this.page(r.tag, r.params) : html`<p role="status">${msg((m) => m.loading)}</p>`}
      </main>
    </div>`;
  }

  private isCurrent(href: string) {
    const rest = this.path.slice(BASE.length);
    const h = href.slice(BASE.length);
    return h === '' ? rest === '' : rest === h || rest.startsWith(h + '/');
  }

  private current: { key: string; el: HTMLElement } | undefined;

  /** The page element, kept while the path stays the same so re-renders keep its state. */
  private page(tag: string, params: Record<string, string>) {
    if (this.current?.key === this.path) return this.current.el;
    const el = document.createElement(tag) as HTMLElement & { params?: Record<string, string>; admin?: Session['admin'] };
    el.params = params;
    el.admin = this.session!.admin;
    this.current = { key: this.path, el };
    return el;
  }
}
