import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import '../../shared/ui/vf-qr.js';
import * as api from './api.js';
import { fill, type PortalMessages } from './i18n/index.js';
import { base } from './styles.js';
import type { Field, VfPortalForm } from './vf-portal-form.js';
import './vf-portal-form.js';

type Me = {
  resource: { name: string };
  user: { login: string; firstName: string | null; lastName: string | null; email: string | null; phone: string | null; hasPassword: boolean };
  token: { name: string; type: string; serialNumber: string | null; locked: boolean; hasPin: boolean } | null;
  allowedActions: { token: Record<string, boolean>; user: Record<string, boolean> };
  enrollmentTypes: string[];
};
type Shown = { otpauthUri?: string; pushUri?: string; secret?: string; sentTo?: string };

/**
 * The signed-in page: the user's token in the resource and profile, with exactly the actions
 * the server says are allowed (the server refuses the others anyway).
 *
 * @fires vf-error - an API error code, for the page's alert.
 * @fires vf-clear - clears the alert.
 */
@customElement('vf-portal-home')
export class VfPortalHome extends LitElement {
  static override styles = [
    base,
    css`
      section {
        background: var(--card);
        border: 1px solid var(--border);
        border-radius: 8px;
        padding: 1rem;
        margin: 0 0 1rem;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.25rem 1rem;
        margin: 0 0 1rem;
        overflow-wrap: anywhere;
      }
      dt {
        font-weight: 600;
      }
      dd {
        margin: 0;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin: 0 0 1rem;
      }
      .key {
        font-family: ui-monospace, monospace;
        overflow-wrap: anywhere;
      }
      .ok {
        color: var(--ok);
      }
      vf-qr {
        margin: 0 0 0.75rem;
        background: #fff;
      }
    `,
  ];

  @property({ attribute: false }) t!: PortalMessages;
  @state() private me: Me | null = null;
  @state() private enrolling: (Shown & { type: string }) | null = null;
  @state() private reissued: Shown | null = null;
  @state() private confirming: { kind: 'email' | 'phone'; sentTo: string } | null = null;
  @state() private busy = false;
  @state() private status = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const r = await api.call('GET', 'me');
    if (r.ok) this.me = r.data as Me;
    else this.dispatchEvent(new CustomEvent('vf-error', { detail: r.code, bubbles: true, composed: true }));
  }

  /** One API call for an action; true when it worked (then the page is reloaded from the server). */
  private async act(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, form?: VfPortalForm): Promise<Record<string, any> | null> {
    if (this.busy) return null;
    this.busy = true;
    this.status = '';
    this.dispatchEvent(new CustomEvent('vf-clear', { bubbles: true, composed: true }));
    const r = await api.call(method, path, body);
    this.busy = false;
    if (!r.ok) {
      this.dispatchEvent(new CustomEvent('vf-error', { detail: r.code, bubbles: true, composed: true }));
      form?.focus();
      return null;
    }
    form?.reset();
    this.status = this.t.saved;
    await this.load();
    return r.data;
  }

  private form(name: string, heading: string, fields: Field[], submit: string, run: (v: Record<string, string>, form: VfPortalForm) => unknown) {
    return html`<vf-portal-form
      name=${name}
      heading=${heading}
      .fields=${fields}
      submit=${submit}
      ?busy=${this.busy}
      @vf-form=${(e: CustomEvent<Record<string, string>>) => run(e.detail, e.target as VfPortalForm)}
    ></vf-portal-form>`;
  }

  private renderShown(s: Shown) {
    const t = this.t;
    if (s.sentTo) return html`<p>${fill(t.enrollSent, { to: s.sentTo })}</p>`;
    // A push token's app is served by this server, at /app/.
    if (s.pushUri) return html`<p>${fill(t.enrollPushScan, { url: `${location.origin}/app/` })}</p><vf-qr .value=${s.pushUri} .label=${t.enrollScan}></vf-qr>`;
    return html`<p>${t.enrollScan}</p>
      ${s.otpauthUri ? html`<vf-qr .value=${s.otpauthUri} .label=${t.enrollScan}></vf-qr>` : nothing}
      ${s.secret ? html`<p>${t.enrollKey}: <span class="key" data-secret>${s.secret}</span></p>` : nothing}`;
  }

  private renderEnroll(me: Me) {
    const t = this.t;
    const types = me.enrollmentTypes.filter((x) => x !== 'hardware');
    if (this.enrolling?.pushUri) {
      // Confirmed by the app's registration, not by a code.
      return html`${this.renderShown(this.enrolling)}
        <div class="row">
          <button type="button" @click=${async () => {
            if (await this.act('POST', 'token/enroll/confirm', {})) this.enrolling = null;
          }}>${t.enrollPushDone}</button>
        </div>`;
    }
    if (this.enrolling) {
      return html`${this.renderShown(this.enrolling)}
        ${this.form(
          'enroll-confirm',
          '',
          [{ name: 'otp', label: t.confirmCode, inputmode: 'numeric', autocomplete: 'one-time-code' }],
          t.confirm,
          async (v, f) => {
            if (await this.act('POST', 'token/enroll/confirm', { otp: v.otp }, f)) this.enrolling = null;
          },
        )}
        ${this.enrolling.sentTo ? html`<div class="row"><button class="secondary" type="button" @click=${() => this.act('POST', 'token/enroll/resend')}>${t.resend}</button></div>` : nothing}`;
    }
    if (!types.length) return nothing;
    return html`<h2>${t.enroll}</h2>
      <label for="enroll-type">${t.enrollType}</label>
      <select id="enroll-type">
        ${types.map((x) => html`<option value=${x}>${(t.types as Record<string, string>)[x] ?? x}</option>`)}
      </select>
      <div class="row">
        <button type="button" @click=${async () => {
          const type = this.renderRoot.querySelector<HTMLSelectElement>('#enroll-type')!.value;
          const data = await this.act('POST', 'token/enroll', { type });
          if (data) this.enrolling = { type, ...(data as Shown) };
        }}>${t.enroll}</button>
      </div>`;
  }

  private renderToken(me: Me) {
    const t = this.t;
    const a = me.allowedActions.token;
    const tok = me.token;
    const otp = (name: string, label: string): Field => ({ name, label, inputmode: 'numeric', autocomplete: 'off' });
    return html`<section aria-labelledby="token-h">
      <h2 id="token-h">${t.yourToken}</h2>
      ${
        tok
          ? html`<dl>
              <dt>${t.enrollType}</dt>
              <dd>${(t.types as Record<string, string>)[tok.type] ?? tok.type}${tok.locked ? ` (${t.tokenLocked})` : ''}</dd>
              ${tok.serialNumber ? html`<dt>${t.serial}</dt><dd>${tok.serialNumber}</dd>` : nothing}
            </dl>
            ${this.reissued ? this.renderShown(this.reissued) : nothing}
            <div class="row">
              ${
                a.reissue && (tok.type === 'totp' || tok.type === 'hotp')
                  ? html`<button type="button" @click=${async () => {
                      const data = await this.act('POST', 'token/reissue');
                      if (data) this.reissued = data as Shown;
                    }}>${t.reissue}</button>`
                  : nothing
              }
              ${a.removePin && tok.hasPin ? html`<button class="secondary" type="button" @click=${() => this.act('DELETE', 'token/pin')}>${t.removePin}</button>` : nothing}
              ${a.unassign ? html`<button class="secondary" type="button" @click=${() => this.act('POST', 'token/unassign')}>${t.unassign}</button>` : nothing}
            </div>
            ${a.setPin ? this.form('set-pin', t.setPin, [{ name: 'pin', label: t.pin, type: 'password', inputmode: 'numeric', autocomplete: 'off' }], t.setPin, (v, f) => this.act('PUT', 'token/pin', { pin: v.pin }, f)) : nothing}
            ${
              a.synchronize && (tok.type === 'totp' || tok.type === 'hotp')
                ? this.form('sync', t.sync, [otp('otp1', t.code1), otp('otp2', t.code2)], t.sync, (v, f) =>
                    this.act('POST', 'token/sync', { otp1: v.otp1, otp2: v.otp2 }, f),
                  )
                : nothing
            }`
          : html`<p>${t.noToken}</p>
            ${a.enroll ? this.renderEnroll(me) : nothing}
            ${
              a.assignExisting
                ? this.form('assign', t.assign, [{ name: 'serialNumber', label: t.serial }, otp('otp', t.otp)], t.assign, (v, f) =>
                    this.act('POST', 'token/assign', v, f),
                  )
                : nothing
            }`
      }
    </section>`;
  }

  private renderProfile(me: Me) {
    const t = this.t;
    const a = me.allowedActions.user;
    const u = me.user;
    const address = (kind: 'email' | 'phone', label: string, submit: string) =>
      this.confirming?.kind === kind
        ? html`<p>${fill(t.codeSentTo, { to: this.confirming.sentTo })}</p>
            ${this.form(
              `${kind}-confirm`,
              '',
              [{ name: 'code', label: t.confirmCode, inputmode: 'numeric', autocomplete: 'one-time-code' }],
              t.confirm,
              async (v, f) => {
                if (await this.act('POST', `user/${kind}/confirm`, { code: v.code }, f)) this.confirming = null;
              },
            )}`
        : this.form(
            kind,
            submit,
            [{ name: 'to', label, type: kind === 'email' ? 'email' : 'tel', autocomplete: kind === 'email' ? 'email' : 'tel' }],
            submit,
            async (v, f) => {
              const data = await this.act('POST', `user/${kind}`, { to: v.to }, f);
              if (data) this.confirming = { kind, sentTo: String(data.sentTo) };
            },
          );
    return html`<section aria-labelledby="profile-h">
      <h2 id="profile-h">${t.profile}</h2>
      <dl>
        <dt>${t.login}</dt>
        <dd>${u.login}</dd>
        <dt>${t.firstName}</dt>
        <dd>${u.firstName ?? '—'}</dd>
        <dt>${t.lastName}</dt>
        <dd>${u.lastName ?? '—'}</dd>
        <dt>E-mail</dt>
        <dd>${u.email ?? '—'}</dd>
        <dt>${t.newPhone.split(' (')[0]}</dt>
        <dd>${u.phone ?? '—'}</dd>
      </dl>
      ${
        a.changeNames
          ? this.form(
              'names',
              t.saveNames,
              [
                { name: 'firstName', label: t.firstName, autocomplete: 'given-name', value: u.firstName ?? '' },
                { name: 'lastName', label: t.lastName, autocomplete: 'family-name', value: u.lastName ?? '' },
              ],
              t.saveNames,
              (v, f) => this.act('POST', 'user/names', { firstName: v.firstName || null, lastName: v.lastName || null }, f),
            )
          : nothing
      }
      ${a.changeLogin ? this.form('login', t.changeLogin, [{ name: 'login', label: t.newLogin, autocomplete: 'username' }], t.changeLogin, (v, f) => this.act('POST', 'user/login', v, f)) : nothing}
      ${a.changeEmail ? address('email', t.newEmail, t.changeEmail) : nothing}
      ${a.changePhone ? address('phone', t.newPhone, t.changePhone) : nothing}
      ${
        a.createPassword && !u.hasPassword
          ? this.form(
              'create-password',
              t.createPassword,
              [{ name: 'password', label: t.newPassword, type: 'password', autocomplete: 'new-password' }],
              t.createPassword,
              (v, f) => this.act('POST', 'user/password', v, f),
            )
          : nothing
      }
      ${
        a.changePassword && u.hasPassword
          ? this.form(
              'change-password',
              t.changePassword,
              [
                { name: 'current', label: t.currentPassword, type: 'password', autocomplete: 'current-password' },
                { name: 'password', label: t.newPassword, type: 'password', autocomplete: 'new-password' },
              ],
              t.changePassword,
              (v, f) => this.act('POST', 'user/password/change', v, f),
            )
          : nothing
      }
    </section>`;
  }

  protected override render() {
    const me = this.me;
    if (!me) return nothing;
    return html`<p class="ok" role="status">${this.status}</p>
      ${this.renderToken(me)} ${this.renderProfile(me)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-portal-home': VfPortalHome;
  }
}
