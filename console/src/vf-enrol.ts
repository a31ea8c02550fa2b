import { LitElement, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api } from './api.js';
import { failure, fieldError, formError, svgDataUri, type Failure } from './forms.js';
import { msg } from './i18n/index.js';
import { base } from './styles.js';

interface Started {
  login: string;
  otpauthUri: string;
  qrSvg: string;
  secret: string;
}

/** The one-time enrolment link of `veriframe admin create|reset-access`: password + authenticator. */
@customElement('vf-enrol')
export class VfEnrol extends LitElement {
  static override styles = [base];
  @state() private started: Started | undefined;
  @state() private error: Failure | undefined;
  @state() private done = false;
  @state() private busy = false;
  private readonly code = location.hash.slice(1);

  override connectedCallback() {
    super.connectedCallback();
    // The code stays out of the address bar from now on (history, screenshots).
    history.replaceState(null, '', location.pathname);
    if (this.code) void this.start();
  }

  private async start() {
    try {
      this.started = await api.post<Started>('/console/api/enrol/start', { code: this.code });
    } catch (err) {
      this.error = failure(err);
    }
  }

  private async finish(e: SubmitEvent) {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    this.busy = true;
    this.error = undefined;
    try {
      await api.post('/console/api/enrol/finish', { code: this.code, password: form.get('password'), otp: form.get('otp') });
      this.done = true;
    } catch (err) {
      this.error = failure(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const s = this.started;
    return html`<main class="panel">
      <h1>${msg((m) => m.enrol.title)}</h1>
      ${!this.code ? html`<p class="error">${msg((m) => m.enrol.noCode)}</p>` : ''}
      ${
        this.done
          ? html`<p class="ok" role="status">${msg((m) => m.enrol.done)}</p>
            <a href="/console/">${msg((m) => m.enrol.goSignIn)}</a>`
          : s
            ? html`<p>${msg((m) => m.enrol.intro)} <b>${s.login}</b></p>
              <p>${msg((m) => m.enrol.scan)}</p>
              <img class="qr" src=${svgDataUri(s.qrSvg)} alt=${msg((m) => m.enrol.qrAlt)} />
              <p>${msg((m) => m.enrol.secret)}: <code id="secret">${s.secret}</code></p>
              <form @submit=${this.finish}>
                <label for="password">${msg((m) => m.enrol.password)}</label>
                <input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required aria-describedby="password-error" />
                ${fieldError(this.error, 'password', 'password-error')}
                <label for="otp">${msg((m) => m.enrol.code)}</label>
                <input id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6,8}" required aria-describedby="otp-error" />
                ${fieldError(this.error, 'otp', 'otp-error')}
                ${formError(this.error, ['password', 'otp'])}
                <p><button class="primary" ?disabled=${this.busy}>${msg((m) => m.enrol.finish)}</button></p>
              </form>`
            : formError(this.error)
      }
    </main>`;
  }
}
