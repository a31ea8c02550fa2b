import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, type Admin, type Page, type Resource } from '../api.js';
import { msg } from '../i18n/index.js';
import { ListPage } from './list-page.js';

type ApiKey = { id: string; prefix: string; name: string; revokedAt: string | null };

/** Administrators (superusers: create with a scope, delete; the last superuser is protected by the API) and API keys. */
@customElement('vf-page-admins')
export class VfPageAdmins extends ListPage<Admin> {
  protected path = 'admins';
  protected heading = msg((m) => m.admins.title);
  @property({ attribute: false }) admin: Admin | undefined;
  @state() private key = '';
  @state() private keysOf: { admin: Admin; items: ApiKey[] } | undefined;
  /** Every resource, to give a resource administrator its scope by name (superusers only). */
  @state() private resources: Resource[] = [];

  override connectedCallback() {
    super.connectedCallback();
    if (this.admin?.role === 'superuser') {
      api.get<Page<Resource>>('resources?limit=500').then(
        (p) => (this.resources = p.items),
        (err: Error) => (this.error = err.message),
      );
    }
  }

  private async showKeys(a: Admin) {
    this.keysOf = { admin: a, items: (await api.get<{ items: ApiKey[] }>(`admins/${a.id}/keys`)).items };
  }
  protected columns: [string, (a: Admin) => unknown][] = [
    [msg((m) => m.common.name), (a) => a.name],
    [msg((m) => m.admins.role), (a) => a.role],
    [
      msg((m) => m.common.actions),
      (a) => html`<button @click=${() => void this.act(() => this.showKeys(a), '')}>${msg((m) => m.admins.keys)}</button>
        <button @click=${() =>
          void this.act(async () => {
            this.key = (await api.post<{ apiKey: string }>(`admins/${a.id}/keys`, { name: 'created in the console' })).apiKey;
          })}>${msg((m) => m.admins.newKey)}</button>
        ${
          this.admin?.role === 'superuser' && a.id !== this.admin.id
            ? html`<button class="danger" @click=${() => confirm(msg((m) => m.common.confirmDelete, { what: a.name })) && void this.act(() => api.del(`admins/${a.id}`))}>${msg((m) => m.common.delete)}</button>`
            : ''
        }`,
    ],
  ];

  protected override above() {
    const superuser = this.admin?.role === 'superuser';
    return html`${
      superuser
        ? html`<form class="panel" @submit=${(e: SubmitEvent) => {
            e.preventDefault();
            const f = new FormData(e.target as HTMLFormElement);
            const role = String(f.get('role'));
            const body = {
              name: String(f.get('name')),
              role,
              ...(role === 'admin' ? { resourceIds: f.getAll('resourceIds').map(String) } : {}),
            };
            void this.act(async () => {
              const created = await api.post<{ apiKey?: string }>('admins', body);
              this.key = created.apiKey ?? '';
            });
          }}>
            <label for="aname">${msg((m) => m.common.name)}</label><input id="aname" name="name" required />
            <label for="role">${msg((m) => m.admins.role)}</label>
            <select id="role" name="role"><option value="admin">${msg((m) => m.admins.admin)}</option><option value="superuser">${msg((m) => m.admins.superuser)}</option></select>
            <fieldset>
              <legend>${msg((m) => m.admins.resources)}</legend>
              ${this.resources.map((r) => html`<label><input type="checkbox" name="resourceIds" value=${r.id} /> ${r.name}</label>`)}
            </fieldset>
            <p><button class="primary">${msg((m) => m.admins.create)}</button></p>
          </form>`
        : html`<p class="muted">${msg((m) => m.admins.superOnly)}</p>`
    }
      ${
        this.keysOf
          ? html`<section class="panel" aria-labelledby="h-keys"><h2 id="h-keys">${msg((m) => m.admins.keysOf, { name: this.keysOf.admin.name })}</h2>
            <ul>${this.keysOf.items.map(
              (k) =>
                html`<li><code>${k.prefix}…</code> ${k.name} ${
                  k.revokedAt
                    ? msg((m) => m.admins.revoked)
                    : html`<button class="danger" @click=${() =>
                        confirm(msg((m) => m.admins.revokeConfirm, { prefix: k.prefix })) &&
                        void this.act(async () => {
                          await api.del(`admins/${this.keysOf!.admin.id}/keys/${k.id}`);
                          await this.showKeys(this.keysOf!.admin);
                        })}>${msg((m) => m.admins.revoke)}</button>`
                }</li>`,
            )}</ul></section>`
          : ''
      }
      ${this.key ? html`<p class="panel" role="status">${msg((m) => m.admins.keyOnce, { key: '' })}<code>${this.key}</code></p>` : ''}`;
  }
}
