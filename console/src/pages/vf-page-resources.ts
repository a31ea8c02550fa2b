import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, type Resource } from '../api.js';
import { msg } from '../i18n/index.js';
import { ListPage } from './list-page.js';
import './vf-resource-self-service.js';

type Tab = 'embed' | 'selfService';
const TABS: Tab[] = ['embed', 'selfService'];

/**
 * Resources: create (secret shown once), allowed origins, failed-attempt limit, rotate the
 * secret; per resource the Embed tab (copy-ready snippets) and the Self-service tab.
 */
@customElement('vf-page-resources')
export class VfPageResources extends ListPage<Resource> {
  protected path = 'resources';
  protected heading = msg((m) => m.resources.title);
  @state() private secret = '';
  @state() private selected: { resource: Resource; tab: Tab } | undefined;
  protected columns: [string, (r: Resource) => unknown][] = [
    [msg((m) => m.common.name), (r) => r.name],
    [
      msg((m) => m.resources.origins),
      (r) => html`<form @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        const origins = String(new FormData(e.target as HTMLFormElement).get('origins') ?? '')
          .split(/\s+/)
          .filter(Boolean);
        void this.act(() => api.patch(`resources/${r.id}`, { allowedOrigins: origins }));
      }}><label class="sr-only" for=${`o-${r.id}`}>${msg((m) => m.resources.origins)}</label>
      <textarea id=${`o-${r.id}`} name="origins" rows="2">${r.allowedOrigins.join('\n')}</textarea><button>${msg((m) => m.common.save)}</button></form>`,
    ],
    [msg((m) => m.resources.method), (r) => r.authMethod],
    [
      msg((m) => m.resources.limit),
      (r) => html`<form class="row" @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        const limit = Number(new FormData(e.target as HTMLFormElement).get('limit'));
        void this.act(() => api.patch(`resources/${r.id}`, { failedAttemptsLimit: limit }));
      }}><label class="sr-only" for=${`l-${r.id}`}>${msg((m) => m.resources.limit)}</label>
      <input id=${`l-${r.id}`} name="limit" type="number" min="3" max="10" .value=${String(r.failedAttemptsLimit)} /><button>${msg((m) => m.common.save)}</button></form>`,
    ],
    [
      msg((m) => m.common.actions),
      (r) => html`<button @click=${() =>
        confirm(msg((m) => m.resources.rotate) + '?') &&
        void this.act(async () => {
          this.secret = (await api.post<Resource>(`resources/${r.id}/secret`)).secret ?? '';
        })}>${msg((m) => m.resources.rotate)}</button>
      <button @click=${() => this.open(r, 'embed')}>${msg((m) => m.resources.embed)}</button>
      <button @click=${() => this.open(r, 'selfService')}>${msg((m) => m.resources.selfService)}</button>
      <a href=${`/console/filters?resource=${r.id}`} aria-label=${msg((m) => m.resources.filtersOf, { name: r.name })}>${msg((m) => m.nav.filters)}</a>`,
    ],
  ];

  @state() private copied = '';

  private async open(resource: Resource, tab: Tab) {
    this.selected = { resource, tab };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#tab-${tab}`)?.focus();
  }

  /** Tabs as WAI-ARIA describes them: arrow keys, Home and End move between tabs. */
  private tabKey(e: KeyboardEvent) {
    const at = TABS.indexOf(this.selected!.tab);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: TABS.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    void this.open(this.selected!.resource, TABS[(to + TABS.length) % TABS.length]!);
  }

  private tabs() {
    const sel = this.selected!;
    const label = (t: Tab) => (t === 'embed' ? msg((m) => m.resources.embed) : msg((m) => m.resources.selfService));
    return html`<section class="panel" aria-labelledby="tabs-h">
      <h2 id="tabs-h">${msg((m) => m.resources.tabs, { name: sel.resource.name })}</h2>
      <div role="tablist" aria-labelledby="tabs-h" class="row" @keydown=${this.tabKey}>
        ${TABS.map(
          (t) => html`<button role="tab" id=${`tab-${t}`} aria-selected=${sel.tab === t ? 'true' : 'false'} aria-controls=${`panel-${t}`}
            tabindex=${sel.tab === t ? '0' : '-1'} class=${sel.tab === t ? 'primary' : ''} @click=${() => this.open(sel.resource, t)}>${label(t)}</button>`,
        )}
      </div>
      <div role="tabpanel" id=${`panel-${sel.tab}`} aria-labelledby=${`tab-${sel.tab}`}>
        ${
          sel.tab === 'embed'
            ? this.embed(sel.resource)
            : html`<vf-resource-self-service .resource=${sel.resource}
                @resource-saved=${(e: CustomEvent<{ resource: Resource }>) => ((this.selected = { resource: e.detail.resource, tab: 'selfService' }), void this.load())}></vf-resource-self-service>`
        }
      </div>
    </section>`;
  }

  private embed(r: Resource) {
    return html`${this.snippet(
      msg((m) => m.resources.snippetPage),
      `<script src="${location.origin}/embed.js" async defer></script>
<form action="/login" method="post">
  <div class="veriframe" data-resource="${r.id}" data-nonce="NONCE_MINTED_PER_PAGE_VIEW"></div>
</form>`,
    )}
    ${this.snippet(
      msg((m) => m.resources.snippetBackend),
      `curl -u ${r.id}:$VERIFRAME_SECRET -H 'content-type: application/json' \\
  -d '{"token":"<veriframe-token>","nonce":"<nonce>"}' ${location.origin}/api/v1/verify`,
    )}`;
  }

  /** A copy-ready snippet with its Copy button. */
  private snippet(title: string, text: string) {
    return html`<h3>${title}</h3><pre><code>${text}</code></pre>
      <button @click=${() =>
        void navigator.clipboard.writeText(text).then(
          () => (this.copied = title),
          (err: Error) => (this.error = err.message),
        )}>${msg((m) => m.common.copy)}</button>
      ${this.copied === title ? html`<span class="ok" role="status">${msg((m) => m.common.copied)}</span>` : ''}`;
  }

  protected override above() {
    return html`<form class="row panel" @submit=${(e: SubmitEvent) => {
      e.preventDefault();
      const name = String(new FormData(e.target as HTMLFormElement).get('name'));
      void this.act(async () => void (this.secret = (await api.post<Resource>('resources', { name })).secret ?? ''));
    }}>
        <label for="name">${msg((m) => m.common.name)}</label><input id="name" name="name" required />
        <button class="primary">${msg((m) => m.resources.create)}</button>
      </form>
      ${this.secret ? html`<p class="panel" role="status">${msg((m) => m.resources.secretOnce, { secret: '' })}<code>${this.secret}</code></p>` : ''}
      ${this.selected ? this.tabs() : ''}`;
  }
}
