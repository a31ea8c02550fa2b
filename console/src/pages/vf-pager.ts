import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { msg } from '../i18n/index.js';
import { base } from '../styles.js';

declare global {
  interface HTMLElementEventMap {
    'page-change': CustomEvent<{ start: number }>;
  }
}

/** Previous/next for a server-paged list; fires `page-change` with the new start. */
@customElement('vf-pager')
export class VfPager extends LitElement {
  static override styles = [base];
  @property({ type: Number }) start = 0;
  @property({ type: Number }) limit = 20;
  @property({ type: Number }) total = 0;

  private go(start: number) {
    this.dispatchEvent(new CustomEvent('page-change', { detail: { start }, bubbles: true, composed: true }));
  }

  override render() {
    const to = Math.min(this.start + this.limit, this.total);
    return html`<div class="row" role="navigation" aria-label=${msg((m) => m.common.pages)}>
      <button ?disabled=${this.start === 0} @click=${() => this.go(Math.max(0, this.start - this.limit))}>${msg((m) => m.common.prev)}</button>
      <span aria-live="polite">${this.total ? msg((m) => m.common.pageOf, { from: this.start + 1, to, total: this.total }) : msg((m) => m.common.none)}</span>
      <button ?disabled=${to >= this.total} @click=${() => this.go(this.start + this.limit)}>${msg((m) => m.common.next)}</button>
    </div>`;
  }
}
