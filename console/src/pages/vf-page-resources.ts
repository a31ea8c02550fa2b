import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, type Resource } from '../api.js';
import { msg } from '../i18n/index.js';
import { ListPage } from './list-page.js';

/** Resources: create (secret shown once), allowed origins, rotate the secret, embed snippet. */
@customElement('vf-page-resources')
export class VfPageResources extends ListPage<Resource> {
  protected path = 'resources';
  protected heading = msg((m) => m.resources.title);
  @state() private secret = '';
  @state() private embedFor: Resource | undefined;
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
      <button @click=${() => (this.embedFor = r)}>${msg((m) => m.resources.embed)}</button>`,
    ],
  ];

  @state() private copied = '';

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
    const r = this.embedFor;
    return html`<form class="row panel" @submit=${(e: SubmitEvent) => {
      e.preventDefault();
      const name = String(new FormData(e.target as HTMLFormElement).get('name'));
      void this.act(async () => void (this.secret = (await api.post<Resource>('resources', { name })).secret ?? ''));
    }}>
        <label for="name">${msg((m) => m.common.name)}</label><input id="name" name="name" required />
        <button class="primary">${msg((m) => m.resources.create)}</button>
      </form>
      ${this.secret ? html`<p class="panel" role="status">${msg((m) => m.resources.secretOnce, { secret: '' })}<code>${this.secret}</code></p>` : ''}
      ${
        r
          ? html`<section class="panel"><h2>${msg((m) => m.resources.embed)}: ${r.name}</h2>
            ${this.snippet(
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
            )}</section>`
          : ''
      }`;
  }
}
