import { LitElement, html, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ApiError, api, type Session } from './api.js';
import { msg } from './i18n/index.js';
import { base } from './styles.js';

declare global {
  interface HTMLElementEventMap {
    'signed-in': CustomEvent<Session>;
  }
  interface Window {
    veriframe?: {
      render(el: Element, o: { resource: string; nonce: string; theme?: string; onSuccess?: (token: string) => void }): string;
      remove?(id: string): void;
    };
  }
}

/** Loads /embed.js once (same origin, allowed by the console's CSP). */
function loadEmbed(): Promise<void> {
  if (window.veriframe) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = '/embed.js';
    s.async = true;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error('embed.js'));
    document.head.append(s);
  });
}

/**
 * The sign-in page: the product's own widget for the built-in console resource (DESIGN §11).
 * Its result JWT and the nonce minted for this view open the session; `signed-in` carries it.
 */
@customElement('vf-sign-in')
export class VfSignIn extends LitElement {
  static override styles = [base];
  @state() private phase: 'loading' | 'widget' | 'opening' | 'failed' = 'loading';
  @state() private error = '';
  private viewNonce = '';

  override render() {
    return html`<main class="panel" aria-labelledby="t">
      <h1 id="t">${msg((m) => m.signIn.title)}</h1>
      <p>${msg((m) => m.signIn.intro)}</p>
      <div id="widget"></div>
      ${this.phase === 'opening' ? html`<p role="status">${msg((m) => m.signIn.opening)}</p>` : ''}
      ${
        this.error
          ? html`<p class="error" role="alert">${this.error}</p>
            <button @click=${() => this.start()}>${msg((m) => m.signIn.retry)}</button>`
          : ''
      }
    </main>`;
  }

  protected override firstUpdated(_: PropertyValues) {
    void this.start();
  }

  private async start() {
    this.error = '';
    this.phase = 'loading';
    const box = this.renderRoot.querySelector('#widget')!;
    box.replaceChildren();
    try {
      const [info] = await Promise.all([api.get<{ resourceId: string; nonce: string }>('/console/api/sign-in'), loadEmbed()]);
      this.viewNonce = info.nonce;
      const theme = document.documentElement.dataset.theme === 'dark' ? 'dark' : document.documentElement.dataset.theme === 'light' ? 'light' : 'auto';
      window.veriframe!.render(box, { resource: info.resourceId, nonce: info.nonce, theme, onSuccess: (token) => void this.finish(token) });
      this.phase = 'widget';
    } catch (err) {
      this.phase = 'failed';
      this.error = err instanceof ApiError ? msg((m) => m.signIn.failed, { message: err.message }) : msg((m) => m.signIn.widgetMissing);
    }
  }

  private async finish(token: string) {
    this.phase = 'opening';
    try {
      const session = await api.post<Session>('/console/api/session', { token, nonce: this.viewNonce });
      this.dispatchEvent(new CustomEvent('signed-in', { detail: session, bubbles: true, composed: true }));
    } catch (err) {
      this.phase = 'failed';
      this.error = msg((m) => m.signIn.failed, { message: (err as Error).message });
    }
  }
}
