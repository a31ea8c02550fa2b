import { LitElement, html, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { api, query, type Page } from '../api.js';
import { msg } from '../i18n/index.js';
import { latestOnly } from '../latest.js';
import { base } from '../styles.js';
import './vf-pager.js';

/** A page with a server-side search and paged table; subclasses name the path and the columns. */
export abstract class ListPage<T> extends LitElement {
  static override styles = [base];
  @state() protected page: Page<T> = { items: [], total: 0 };
  @state() protected start = 0;
  @state() protected search = '';
  @state() protected error = '';
  @state() protected note = '';
  protected limit = 20;
  protected abstract path: string;
  protected abstract heading: string;
  protected abstract columns: [string, (item: T) => unknown][];
  protected extraQuery(): Record<string, string | undefined> {
    return {};
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  private readonly loads = latestOnly();

  protected async load() {
    const current = this.loads();
    try {
      const page = await api.get<Page<T>>(`${this.path}${query({ ...this.extraQuery(), search: this.search, start: this.start, limit: this.limit })}`);
      if (!current()) return;
      this.page = page;
      this.error = '';
    } catch (err) {
      if (current()) this.error = (err as Error).message;
    }
  }

  /** Runs an action and shows its outcome above the table. */
  protected async act(fn: () => Promise<string | void>, done = msg((m) => m.common.saved)) {
    this.error = '';
    this.note = '';
    try {
      this.note = (await fn()) || done;
      await this.load();
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  protected above(): TemplateResult | string {
    return '';
  }

  override render() {
    return html`<h1>${this.heading}</h1>
      ${this.above()}
      <form class="row" role="search" @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        this.search = String(new FormData(e.target as HTMLFormElement).get('search') ?? '').trim();
        this.start = 0;
        void this.load();
      }}>
        <label for="search" class="sr-only">${msg((m) => m.common.search)}</label>
        <input id="search" name="search" type="search" .value=${this.search} />
        <button>${msg((m) => m.common.search)}</button>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      <p class="ok" role="status">${this.note}</p>
      <div class="scroll"><table>
        <thead><tr>${this.columns.map(([h]) => html`<th>${h}</th>`)}</tr></thead>
        <tbody>${this.page.items.map((item) => html`<tr>${this.columns.map(([, cell]) => html`<td>${cell(item)}</td>`)}</tr>`)}</tbody>
      </table></div>
      <vf-pager .start=${this.start} .limit=${this.limit} .total=${this.page.total}
        @page-change=${(e: CustomEvent<{ start: number }>) => ((this.start = e.detail.start), void this.load())}></vf-pager>`;
  }
}
