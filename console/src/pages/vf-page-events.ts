import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, type Admin, type EventItem, type Page, type Resource } from '../api.js';
import { msg } from '../i18n/index.js';
import { ListPage } from './list-page.js';

type Chain = { ok: boolean; checked: number; unsealed: number; brokenAt?: string; message?: string };

/** Events: search, type, resource and date filters, paging, and (superusers) the audit chain's status. */
@customElement('vf-page-events')
export class VfPageEvents extends ListPage<EventItem> {
  protected path = 'events';
  protected heading = msg((m) => m.events.title);
  @property({ attribute: false }) admin: Admin | undefined;
  @state() private filter: { type?: string; resourceId?: string; from?: string; to?: string } = {};
  /** The resources in the caller's scope, to filter by (the API scopes the events the same way). */
  @state() private resources: Resource[] = [];
  @state() private chain: Chain | undefined;
  @state() private chainError = '';
  protected columns: [string, (e: EventItem) => unknown][] = [
    [msg((m) => m.common.created), (e) => new Date(e.createdAt).toLocaleString()],
    [msg((m) => m.events.type), (e) => e.type],
    [msg((m) => m.events.result), (e) => `${e.result ?? ''} ${e.reason ?? ''}`],
    [msg((m) => m.common.ip), (e) => e.ip ?? ''],
  ];

  override connectedCallback() {
    super.connectedCallback();
    api.get<Page<Resource>>('resources?limit=500').then(
      (p) => (this.resources = p.items),
      (err: Error) => (this.error = err.message),
    );
    if (this.admin?.role === 'superuser') {
      api.get<Chain>('events/chain').then(
        (c) => (this.chain = c),
        (err: Error) => (this.chainError = err.message),
      );
    }
  }

  protected override extraQuery() {
    return this.filter;
  }

  protected override above() {
    const c = this.chain;
    return html`${
      c
        ? html`<p class=${c.ok ? 'ok' : 'error'} role="status">${
            c.ok
              ? msg((m) => m.events.chainOk, { checked: c.checked, unsealed: c.unsealed })
              : msg((m) => m.events.chainBroken, { id: c.brokenAt ?? '', message: c.message ?? '' })
          }</p>`
        : ''
    }
      ${this.chainError ? html`<p class="error" role="alert">${this.chainError}</p>` : ''}
      <form class="row" @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        const f = new FormData(e.target as HTMLFormElement);
        const iso = (k: string) => (f.get(k) ? new Date(String(f.get(k))).toISOString() : undefined);
        const type = String(f.get('type') ?? '').trim();
        const resourceId = String(f.get('resourceId') ?? '');
        this.filter = {
          ...(type ? { type } : {}),
          ...(resourceId ? { resourceId } : {}),
          ...(iso('from') ? { from: iso('from') } : {}),
          ...(iso('to') ? { to: iso('to') } : {}),
        };
        this.start = 0;
        void this.load();
      }}>
        <label for="type">${msg((m) => m.events.type)}</label><input id="type" name="type" placeholder="token.created" />
        <label for="resourceId">${msg((m) => m.info.resourceId)}</label>
        <select id="resourceId" name="resourceId">
          <option value="">${msg((m) => m.events.allResources)}</option>
          ${this.resources.map((r) => html`<option value=${r.id}>${r.name}</option>`)}
        </select>
        <label for="from">${msg((m) => m.events.from)}</label><input id="from" name="from" type="datetime-local" />
        <label for="to">${msg((m) => m.events.to)}</label><input id="to" name="to" type="datetime-local" />
        <button>${msg((m) => m.events.filter)}</button>
      </form>`;
  }
}
