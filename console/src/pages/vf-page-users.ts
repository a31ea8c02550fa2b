import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, type Admin, type User } from '../api.js';
import { msg } from '../i18n/index.js';
import { othersSignInUsers } from '../sign-in-protected.js';
import { ListPage } from './list-page.js';

/** Users: search, paging, create, lock state of their tokens is on each token's page. */
@customElement('vf-page-users')
export class VfPageUsers extends ListPage<User> {
  protected path = 'users';
  protected heading = msg((m) => m.users.title);
  @property({ attribute: false }) admin: Admin | undefined;
  /** Other administrators' console logins: nothing here may change them. */
  @state() private protectedIds = new Set<string>();

  private protectedLoaded = false;

  protected override async load() {
    if (!this.protectedLoaded) {
      // Without the list the server still refuses; the page then shows its answer in words.
      this.protectedIds = await othersSignInUsers(this.admin).catch(() => new Set<string>());
      this.protectedLoaded = true;
    }
    await super.load();
  }
  protected columns: [string, (u: User) => unknown][] = [
    [msg((m) => m.users.login), (u) => html`<a href=${`/console/users/${u.id}`}>${u.login}</a>`],
    [msg((m) => m.users.email), (u) => u.email ?? ''],
    [msg((m) => m.users.phone), (u) => u.phone ?? ''],
    [msg((m) => m.users.hasPassword), (u) => (u.hasPassword ? msg((m) => m.common.yes) : msg((m) => m.common.no))],
    [msg((m) => m.common.active), (u) => (u.active ? msg((m) => m.common.yes) : msg((m) => m.common.no))],
    [
      msg((m) => m.common.actions),
      (u) =>
        this.protectedIds.has(u.id)
          ? html`<span class="muted">${msg((m) => m.users.signInProtected)}</span>`
          : html`<form class="row" @submit=${(e: SubmitEvent) => {
              e.preventDefault();
              const password = String(new FormData(e.target as HTMLFormElement).get('password') ?? '');
              void this.act(() => api.patch(`users/${u.id}`, { password }));
            }}><label class="sr-only" for=${`p-${u.id}`}>${msg((m) => m.users.setPassword, { login: u.login })}</label>
        <input id=${`p-${u.id}`} name="password" type="password" autocomplete="new-password" minlength="8" required placeholder=${msg((m) => m.users.password)} />
        <button>${msg((m) => m.users.setPasswordShort)}</button></form>
      <button @click=${() => void this.act(() => api.patch(`users/${u.id}`, { active: !u.active }))}>${u.active ? msg((m) => m.tokens.deactivate) : msg((m) => m.tokens.activate)}</button>
      <button class="danger" @click=${() => confirm(msg((m) => m.common.confirmDelete, { what: u.login })) && void this.act(() => api.del(`users/${u.id}`))}>${msg((m) => m.common.delete)}</button>`,
    ],
  ];

  protected override above() {
    return html`<form class="row panel" @submit=${(e: SubmitEvent) => {
      e.preventDefault();
      const f = new FormData(e.target as HTMLFormElement);
      const body: Record<string, string> = { login: String(f.get('login')) };
      for (const k of ['email', 'password']) if (f.get(k)) body[k] = String(f.get(k));
      void this.act(() => api.post('users', body));
    }}>
      <label for="login">${msg((m) => m.users.login)}</label><input id="login" name="login" required />
      <label for="email">${msg((m) => m.users.email)}</label><input id="email" name="email" type="email" />
      <label for="password">${msg((m) => m.users.password)}</label><input id="password" name="password" type="password" autocomplete="new-password" />
      <button class="primary">${msg((m) => m.users.create)}</button>
    </form>`;
  }
}
