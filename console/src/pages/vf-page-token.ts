import { LitElement, html, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, query, request, type EventItem, type Page, type Token, type User } from '../api.js';
import { svgDataUri } from '../forms.js';
import { msg } from '../i18n/index.js';
import { navigate } from '../navigation.js';
import { base } from '../styles.js';
import { activeRequest, type ActiveAction } from './vf-active-menu.js';
import './vf-active-menu.js';
import type { Pickable } from './vf-picker.js';
import './vf-picker.js';
import './vf-pager.js';

type Section = 'actions' | 'user' | 'settings' | 'resources' | 'events';
type TokenResource = { id: string; name: string; assignment: 'token' | 'userWithToken'; userId: string | null };
const EVENTS_LIMIT = 10;

const formValue = (e: SubmitEvent, name: string) => String(new FormData(e.target as HTMLFormElement).get(name) ?? '').trim();

/** Token Info: actions, Assigned To, Settings, Token Resources, Token Events (seed 003, §3). */
@customElement('vf-page-token')
export class VfPageToken extends LitElement {
  static override styles = [base];
  @property({ attribute: false }) params: Record<string, string> = {};
  @state() private token: Token | undefined;
  @state() private user: User | undefined;
  @state() private resources: TokenResource[] = [];
  @state() private events: Page<EventItem> = { items: [], total: 0 };
  @state() private eventStart = 0;
  @state() private eventSearch = '';
  @state() private errors: Partial<Record<Section, string>> = {};
  @state() private notes: Partial<Record<Section, string>> = {};
  @state() private reissued: Token | undefined;
  @state() private confirmDelete = false;
  @state() private loadError = '';
  @state() private resourcePick: Pickable | undefined;
  @state() private userPick: Pickable | undefined;
  @state() private userPickError = '';
  @state() private pickError = '';

  private get tokenId() {
    return this.params.id!;
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.token = await api.get<Token>(`tokens/${this.tokenId}`);
      this.user = this.token.userId ? await api.get<User>(`users/${this.token.userId}`).catch(() => undefined) : undefined;
      this.resources = (await api.get<Page<TokenResource>>(`tokens/${this.tokenId}/resources`)).items;
      await this.loadEvents();
    } catch (err) {
      this.loadError = (err as Error).message;
    }
  }

  private async loadEvents() {
    this.events = await api.get<Page<EventItem>>(
      `tokens/${this.tokenId}/events${query({ search: this.eventSearch, start: this.eventStart, limit: EVENTS_LIMIT })}`,
    );
  }

  /** Runs one action; its outcome is shown in the section it belongs to. */
  private async act(section: Section, fn: () => Promise<string | void>) {
    this.errors = { ...this.errors, [section]: undefined };
    this.notes = { ...this.notes, [section]: undefined };
    try {
      const note = await fn();
      this.notes = { ...this.notes, [section]: note || msg((m) => m.common.saved) };
    } catch (err) {
      this.errors = { ...this.errors, [section]: (err as Error).message };
    }
  }

  private feedback(section: Section) {
    return html`${this.errors[section] ? html`<p class="error" role="alert">${this.errors[section]}</p>` : ''}
    ${this.notes[section] ? html`<p class="ok" role="status">${this.notes[section]}</p>` : ''}`;
  }

  private section(id: Section, title: string, body: TemplateResult) {
    return html`<section class="panel" aria-labelledby=${`h-${id}`} data-section=${id}>
      <h2 id=${`h-${id}`}>${title}</h2>
      ${body} ${this.feedback(id)}
    </section>`;
  }

  override render() {
    if (this.loadError) return html`<p class="error" role="alert">${this.loadError}</p>`;
    const t = this.token;
    if (!t) return html`<p role="status">${msg((m) => m.loading)}</p>`;
    return html`<h1>${msg((m) => m.info.title, { name: t.name })}</h1>
      <p class="muted">${t.kind} ${t.type.toUpperCase()} ${t.serialNumber ?? ''} · ${msg((m) => m.info.lastUsed)}: ${t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : '—'}</p>
      ${this.actions(t)} ${this.assigned(t)} ${this.settings(t)} ${this.tokenResources()} ${this.tokenEvents()}`;
  }

  private actions(t: Token) {
    const onActive = (e: CustomEvent<{ action: ActiveAction }>) =>
      void this.act('actions', async () => {
        const r = activeRequest(e.detail.action);
        this.token = await request<Token>(r.method, `tokens/${t.id}${r.suffix}`, r.body);
      });
    return this.section(
      'actions',
      msg((m) => m.common.actions),
      html`<form class="row" @submit=${(e: SubmitEvent) => (
        e.preventDefault(),
        void this.act('actions', async () => {
          const { valid } = await api.post<{ valid: boolean }>(`tokens/${t.id}/check`, { otp: formValue(e, 'check') });
          if (!valid) throw new Error(msg((m) => m.info.invalid));
          return msg((m) => m.info.valid);
        })
      )}>
          <label for="check">${msg((m) => m.info.checkOtp)}</label>
          <input id="check" name="check" inputmode="numeric" required pattern="[0-9]{4,40}" />
          <button>${msg((m) => m.info.checkOtp)}</button>
        </form>
        <form class="row" @submit=${(e: SubmitEvent) => (
          e.preventDefault(),
          void this.act('actions', async () => {
            this.token = await api.post<Token>(`tokens/${t.id}/sync`, { otp1: formValue(e, 'otp1'), otp2: formValue(e, 'otp2') });
            return msg((m) => m.info.synced);
          })
        )}>
          <label for="otp1">${msg((m) => m.info.otp1)}</label><input id="otp1" name="otp1" inputmode="numeric" required />
          <label for="otp2">${msg((m) => m.info.otp2)}</label><input id="otp2" name="otp2" inputmode="numeric" required />
          <button>${msg((m) => m.info.sync)}</button>
        </form>
        <div class="row">
          ${
            t.kind === 'software'
              ? html`<button @click=${() =>
                  confirm(msg((m) => m.info.reissueConfirm)) &&
                  void this.act('actions', async () => {
                    this.reissued = await api.post<Token>(`tokens/${t.id}/reissue`);
                    this.token = this.reissued;
                    return msg((m) => m.info.reissued);
                  })}>${msg((m) => m.info.reissue)}</button>`
              : ''
          }
          ${t.locked ? html`<button @click=${() => void this.act('actions', async () => void (this.token = await api.post<Token>(`tokens/${t.id}/unlock`)))}>${msg((m) => m.info.unlock)}</button>` : ''}
          <vf-active-menu .token=${t} @active-action=${onActive}></vf-active-menu>
          <button class="danger" @click=${() => (this.confirmDelete = true)}>${msg((m) => m.info.deleteToken)}</button>
        </div>
        ${
          this.confirmDelete
            ? html`<div role="alertdialog" aria-labelledby="del-q" class="panel">
              <p id="del-q">${msg((m) => m.common.confirmDelete, { what: t.name })}</p>
              <button class="danger" @click=${() =>
                void this.act('actions', async () => {
                  await api.del(`tokens/${t.id}`);
                  navigate('/console/tokens');
                })}>${msg((m) => m.common.yes)}</button>
              <button @click=${() => (this.confirmDelete = false)}>${msg((m) => m.common.no)}</button>
            </div>`
            : ''
        }
        ${
          this.reissued?.qrSvg
            ? html`<img class="qr" src=${svgDataUri(this.reissued.qrSvg)} alt=${msg((m) => m.wizard.qrAlt)} />
              <p><code>${new URL(this.reissued.otpauthUri!).searchParams.get('secret')}</code></p>`
            : ''
        }`,
    );
  }

  private assigned(t: Token) {
    const link = (e: SubmitEvent, create: boolean) => {
      e.preventDefault();
      if (!create && !this.userPick) {
        this.userPickError = msg((m) => m.info.chooseUser);
        return;
      }
      const login = create ? formValue(e, 'newLogin') : '';
      void this.act('user', async () => {
        const userId = create ? (await api.post<User>('users', { login })).id : this.userPick!.id;
        this.token = await api.put<Token>(`tokens/${t.id}/user`, { userId });
        this.user = await api.get<User>(`users/${userId}`);
      });
    };
    return this.section(
      'user',
      msg((m) => m.info.assignedTo),
      html`${
        this.user
          ? html`<p>
              <b>${this.user.login}</b>
              <button @click=${() =>
                void this.act('user', async () => {
                  this.token = await api.del<Token>(`tokens/${t.id}/user`);
                  this.user = undefined;
                })}>${msg((m) => m.info.unlink)}</button>
            </p>`
          : html`<p class="muted">${msg((m) => m.info.notAssigned)}</p>`
      }
        <form @submit=${(e: SubmitEvent) => link(e, false)}>
          <vf-picker path="users" .label=${msg((m) => m.info.userLogin)} .error=${this.userPickError} .describe=${(u: Pickable) => String(u.login)}
            @pick-change=${(e: CustomEvent<{ item: Pickable | undefined }>) => ((this.userPick = e.detail.item), (this.userPickError = ''))}></vf-picker>
          <p><button>${msg((m) => m.info.link)}</button></p>
        </form>
        <form class="row" @submit=${(e: SubmitEvent) => link(e, true)}>
          <label for="newLogin">${msg((m) => m.info.createAndAssign)}</label><input id="newLogin" name="newLogin" required /><button>${msg((m) => m.common.create)}</button>
        </form>`,
    );
  }

  private settings(t: Token) {
    const save = (e: SubmitEvent) => {
      e.preventDefault();
      const f = new FormData(e.target as HTMLFormElement);
      const body: Record<string, unknown> = { pinPosition: f.get('pinPosition') };
      const pin = String(f.get('pin') ?? '');
      if (f.get('removePin')) body.pin = null;
      else if (pin) body.pin = pin;
      if (t.type === 'totp' || t.type === 'hotp') body.digits = Number(f.get('digits'));
      void this.act('settings', async () => void (this.token = await api.patch<Token>(`tokens/${t.id}`, body)));
    };
    return this.section(
      'settings',
      msg((m) => m.info.settings),
      html`<form @submit=${save}>
        <p>${msg((m) => m.wizard.usePin)}: ${t.hasPin ? msg((m) => m.common.yes) : msg((m) => m.common.no)}</p>
        <label for="pin">${msg((m) => m.wizard.pin)}</label><input id="pin" name="pin" type="password" inputmode="numeric" pattern="[0-9]{4,8}" />
        ${t.hasPin ? html`<label><input type="checkbox" name="removePin" /> ${msg((m) => m.common.delete)} PIN</label>` : ''}
        <label for="pinPosition">${msg((m) => m.wizard.pinPosition)}</label>
        <select id="pinPosition" name="pinPosition">
          <option value="before" ?selected=${t.pinPosition === 'before'}>${msg((m) => m.wizard.before)}</option>
          <option value="after" ?selected=${t.pinPosition === 'after'}>${msg((m) => m.wizard.after)}</option>
        </select>
        ${
          t.type === 'totp' || t.type === 'hotp'
            ? html`<label for="digits">${msg((m) => m.wizard.digits)}</label>
              <select id="digits" name="digits"><option ?selected=${t.digits === 6}>6</option><option ?selected=${t.digits === 8}>8</option></select>`
            : ''
        }
        <p><button class="primary">${msg((m) => m.common.save)}</button></p>
      </form>`,
    );
  }

  private tokenResources() {
    const assign = (e: SubmitEvent) => {
      e.preventDefault();
      const rid = this.resourcePick?.id;
      if (!rid) {
        this.pickError = msg((m) => m.info.chooseResource);
        return;
      }
      void this.act('resources', async () => {
        if (this.user) await api.put(`resources/${rid}/users/${this.user.id}/token`, { tokenId: this.tokenId });
        else await api.put(`resources/${rid}/tokens/${this.tokenId}`);
        this.resources = (await api.get<Page<TokenResource>>(`tokens/${this.tokenId}/resources`)).items;
      });
    };
    const unlink = (r: TokenResource) =>
      void this.act('resources', async () => {
        await api.del(r.assignment === 'token' ? `resources/${r.id}/tokens/${this.tokenId}` : `resources/${r.id}/users/${r.userId}/token`);
        this.resources = (await api.get<Page<TokenResource>>(`tokens/${this.tokenId}/resources`)).items;
      });
    return this.section(
      'resources',
      msg((m) => m.info.resources),
      html`<ul>
          ${this.resources.map((r) => html`<li>${r.name} (${r.assignment}) <button @click=${() => unlink(r)}>${msg((m) => m.info.unlink)}</button></li>`)}
        </ul>
        <form @submit=${assign}>
          <vf-picker path="resources" .label=${msg((m) => m.info.resourceId)} .error=${this.pickError}
            .describe=${(r: Pickable) => String(r.name)}
            @pick-change=${(e: CustomEvent<{ item: Pickable | undefined }>) => ((this.resourcePick = e.detail.item), (this.pickError = ''))}></vf-picker>
          <p><button>${msg((m) => m.info.assignResource)}</button></p>
        </form>`,
    );
  }

  private tokenEvents() {
    return this.section(
      'events',
      msg((m) => m.info.events),
      html`<form class="row" role="search" @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        this.eventSearch = formValue(e, 'eventSearch');
        this.eventStart = 0;
        void this.act('events', () => this.loadEvents());
      }}>
          <label for="eventSearch" class="sr-only">${msg((m) => m.common.search)}</label><input id="eventSearch" name="eventSearch" type="search" />
          <button>${msg((m) => m.common.search)}</button>
        </form>
        <div class="scroll"><table>
          <thead><tr><th>${msg((m) => m.common.created)}</th><th>${msg((m) => m.events.type)}</th><th>${msg((m) => m.events.result)}</th></tr></thead>
          <tbody>${this.events.items.map((ev) => html`<tr><td>${new Date(ev.createdAt).toLocaleString()}</td><td>${ev.type}</td><td>${ev.result ?? ''} ${ev.reason ?? ''}</td></tr>`)}</tbody>
        </table></div>
        <vf-pager .start=${this.eventStart} .limit=${EVENTS_LIMIT} .total=${this.events.total}
          @page-change=${(e: CustomEvent<{ start: number }>) => ((this.eventStart = e.detail.start), void this.act('events', () => this.loadEvents()))}></vf-pager>`,
    );
  }
}
