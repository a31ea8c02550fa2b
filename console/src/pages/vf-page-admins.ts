import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, type Admin } from '../api.js';
import { msg } from '../i18n/index.js';
import { ListPage } from './list-page.js';

/** Administrators (superusers see all, others themselves) and each one's API keys. */
@customElement('vf-page-admins')
export class VfPageAdmins extends ListPage<Admin> {
  protected path = 'admins';
  protected heading = msg((m) => m.admins.title);
  @property({ attribute: false }) admin: Admin | undefined;
  @state() private key = '';
  protected columns: [string, (a: Admin) => unknown][] = [
    [msg((m) => m.common.name), (a) => a.name],
    [msg((m) => m.admins.role), (a) => a.role],
    [msg((m) => m.admins.keys), (a) => html`<button @click=${() => void this.act(async () => {
      this.key = (await api.post<{ apiKey: string }>(`admins/${a.id}/keys`, { name: 'created in the console' })).apiKey;
    })}>${msg((m) => m.admins.newKey)}</button>`],
  ];
  protected override above() {
    return html`${this.admin?.role !== 'superuser' ? html`<p class="muted">${msg((m) => m.admins.superOnly)}</p>` : ''}
      ${this.key ? html`<p class="panel" role="status">${msg((m) => m.admins.keyOnce, { key: '' })}<code>${this.key}</code></p>` : ''}`;
  }
}
