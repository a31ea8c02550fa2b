import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, type Admin, type Page, type Token, type User } from '../api.js';
import { msg } from '../i18n/index.js';
import { othersSignInUsers } from '../sign-in-protected.js';
import { base } from '../styles.js';

type Lock = { resourceId: string; resourceName: string; failures: number; lockedUntil: string | null };

/** One user: edit, tokens, resources, sign-in lock state and unlock. */
@customElement('vf-page-user')
export class VfPageUser extends LitElement {
  static override styles = [base];
  @property({ attribute: false }) params: Record<string, string> = {};
  @property({ attribute: false }) admin: Admin | undefined;
  /** Another administrator's console login: shown, never edited (the server refuses too). */
  @state() private signInProtected = false;
  @state() private user: User | undefined;
  @state() private tokens: Token[] = [];
  @state() private resources: { id: string; name: string }[] = [];
  @state() private locks: Lock[] = [];
  @state() private error = '';
  @state() private note = '';

  override connectedCallback() {
    super.connectedCallback();
    void this.run(() => this.load(), '');
  }

  private async load() {
    const id = this.params.id!;
    [this.user, this.tokens, this.resources, this.locks] = await Promise.all([
      api.get<User>(`users/${id}`),
      api.get<Page<Token>>(`users/${id}/tokens`).then((p) => p.items),
      api.get<Page<{ id: string; name: string }>>(`users/${id}/resources`).then((p) => p.items),
      api.get<Page<Lock>>(`users/${id}/locks`).then((p) => p.items),
    ]);
    this.signInProtected = (await othersSignInUsers(this.admin).catch(() => new Set<string>())).has(id);
  }

  private async run(fn: () => Promise<void>, note = msg((m) => m.common.saved)) {
    this.error = '';
    this.note = '';
    try {
      await fn();
      this.note = note;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  private save(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const text = (k: string) => String(f.get(k) ?? '').trim() || null;
    void this.run(async () => {
      this.user = await api.patch<User>(`users/${this.user!.id}`, {
        email: text('email'),
        phone: text('phone'),
        firstName: text('firstName'),
        lastName: text('lastName'),
      });
    });
  }

  override render() {
    const u = this.user;
    if (!u) return html`${this.error ? html`<p class="error" role="alert">${this.error}</p>` : html`<p role="status">${msg((m) => m.loading)}</p>`}`;
    const locked = this.locks.filter((l) => l.lockedUntil && Date.parse(l.lockedUntil) > Date.now());
    return html`<h1>${msg((m) => m.users.user, { login: u.login })}</h1>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      <p class="ok" role="status">${this.note}</p>
      ${
        this.signInProtected
          ? html`<p class="panel" data-protected>${msg((m) => m.users.signInProtected)}</p>`
          : html`<form class="panel" @submit=${this.save}>
            ${(['email', 'phone', 'firstName', 'lastName'] as const).map(
              (k) => html`<label for=${k}>${msg((m) => m.users[k])}</label><input id=${k} name=${k} .value=${u[k] ?? ''} />`,
            )}
            <p><button class="primary">${msg((m) => m.common.save)}</button></p>
          </form>`
      }
      <section class="panel" aria-labelledby="h-locks">
        <h2 id="h-locks">${msg((m) => m.users.lockState)}</h2>
        <p>${locked.length ? msg((m) => m.users.locked, { resources: locked.map((l) => l.resourceName).join(', ') }) : msg((m) => m.users.notLocked)}</p>
        ${
          this.locks.length
            ? html`<button @click=${() =>
                void this.run(
                  async () => {
                    await api.del(`users/${u.id}/locks`);
                    await this.load();
                  },
                  msg((m) => m.users.unlocked),
                )}>${msg((m) => m.info.unlock)}</button>`
            : ''
        }
      </section>
      <section class="panel" aria-labelledby="h-tokens">
        <h2 id="h-tokens">${msg((m) => m.nav.tokens)}</h2>
        <ul>${this.tokens.map((t) => html`<li><a href=${`/console/tokens/${t.id}`}>${t.name}</a> ${t.locked ? msg((m) => m.tokens.locked) : ''}</li>`)}</ul>
      </section>
      <section class="panel" aria-labelledby="h-res">
        <h2 id="h-res">${msg((m) => m.nav.resources)}</h2>
        <ul>${this.resources.map((r) => html`<li>${r.name}</li>`)}</ul>
      </section>`;
  }
}
