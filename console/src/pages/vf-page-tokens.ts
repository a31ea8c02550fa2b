import { LitElement, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, query, request, type Page, type Token } from '../api.js';
import { failure, formError, type Failure } from '../forms.js';
import { msg } from '../i18n/index.js';
import { latestOnly } from '../latest.js';
import { base } from '../styles.js';
import { activeRequest, type ActiveAction } from './vf-active-menu.js';
import './vf-active-menu.js';
import './vf-pager.js';
import './vf-token-import.js';
import './vf-token-wizard.js';

const LIMIT = 20;

/** Tokens: server-side search and paging, the Active column's menu, Create and Import CSV. */
@customElement('vf-page-tokens')
export class VfPageTokens extends LitElement {
  static override styles = [base];
  @state() private page: Page<Token> = { items: [], total: 0 };
  @state() private start = 0;
  @state() private search = '';
  @state() private error: Failure | undefined;
  @state() private rowError: { id: string; message: string } | undefined;
  @state() private status = '';
  @state() private panel: 'none' | 'menu' | 'create' | 'import' = 'none';

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  private readonly loads = latestOnly();

  private async load() {
    const current = this.loads();
    try {
      const page = await api.get<Page<Token>>(`tokens${query({ search: this.search, start: this.start, limit: LIMIT })}`);
      if (!current()) return;
      this.page = page;
      this.error = undefined;
    } catch (err) {
      if (current()) this.error = failure(err);
    }
  }

  private onSearch(e: SubmitEvent) {
    e.preventDefault();
    this.search = String(new FormData(e.target as HTMLFormElement).get('search') ?? '').trim();
    this.start = 0;
    void this.load();
  }

  private async onActive(e: CustomEvent<{ tokenId: string; action: ActiveAction }>) {
    const { tokenId, action } = e.detail;
    const r = activeRequest(action);
    this.rowError = undefined;
    this.status = '';
    try {
      const updated = await request<Token>(r.method, `tokens/${tokenId}${r.suffix}`, r.body);
      this.page = { ...this.page, items: this.page.items.map((t) => (t.id === tokenId ? updated : t)) };
      this.status = msg((m) => m.tokens.done, { what: `${updated.name}` });
    } catch (err) {
      this.rowError = { id: tokenId, message: (err as Error).message };
    }
  }

  override render() {
    return html`<h1>${msg((m) => m.tokens.title)}</h1>
      <div class="row">
        <form class="row" role="search" @submit=${this.onSearch}>
          <label for="search" class="sr-only">${msg((m) => m.common.search)}</label>
          <input id="search" name="search" type="search" placeholder=${msg((m) => m.tokens.searchHint)} .value=${this.search} />
          <button>${msg((m) => m.common.search)}</button>
        </form>
        <button class="primary" aria-haspopup="true" aria-expanded=${this.panel === 'menu' ? 'true' : 'false'} aria-label=${msg((m) => m.tokens.add)}
          @click=${() => (this.panel = this.panel === 'menu' ? 'none' : 'menu')}>+</button>
        ${
          this.panel === 'menu'
            ? html`<button @click=${() => (this.panel = 'create')}>${msg((m) => m.tokens.createToken)}</button>
              <button @click=${() => (this.panel = 'import')}>${msg((m) => m.tokens.importCsv)}</button>`
            : ''
        }
      </div>
      ${
        this.panel === 'create'
          ? html`<vf-token-wizard @token-created=${() => void this.load()} @wizard-closed=${() => (this.panel = 'none')}></vf-token-wizard>`
          : ''
      }
      ${this.panel === 'import' ? html`<vf-token-import @tokens-imported=${() => void this.load()}></vf-token-import>` : ''}
      ${formError(this.error)}
      <p role="status" class="ok">${this.status}</p>
      <div class="scroll">
        <table>
          <thead>
            <tr><th>${msg((m) => m.common.name)}</th><th>${msg((m) => m.tokens.serial)}</th><th>${msg((m) => m.tokens.type)}</th><th>${msg((m) => m.tokens.state)}</th><th>${msg((m) => m.common.active)}</th></tr>
          </thead>
          <tbody @active-action=${this.onActive}>
            ${this.page.items.map(
              (t) => html`<tr data-token=${t.id}>
                <td><a href=${`/console/tokens/${t.id}`}>${t.name}</a></td>
                <td class="mono">${t.serialNumber ?? ''}</td>
                <td>${t.kind} ${t.type.toUpperCase()}</td>
                <td>${t.locked ? msg((m) => m.tokens.locked) : ''}</td>
                <td>
                  <vf-active-menu .token=${t}></vf-active-menu>
                  ${this.rowError?.id === t.id ? html`<p class="error" role="alert">${this.rowError.message}</p>` : ''}
                </td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <vf-pager .start=${this.start} .limit=${LIMIT} .total=${this.page.total}
        @page-change=${(e: CustomEvent<{ start: number }>) => ((this.start = e.detail.start), void this.load())}></vf-pager>`;
  }
}
