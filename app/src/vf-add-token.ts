import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { base32Decode } from '../../shared/otp/base32.js';
import { OTP_ALGORITHMS } from '../../shared/otp/hotp.js';
import { dispatchUri, type DispatchResult } from './dispatch.js';
import type { AppMessages } from './i18n/index.js';
import { base } from './styles.js';
import './vf-scanner.js';

/** Adding tokens: scan (camera or image), paste a link, or type the fields. */
@customElement('vf-add-token')
export class VfAddToken extends LitElement {
  static override styles = [base];
  @property({ attribute: false }) m!: AppMessages;
  @state() private result: DispatchResult | undefined;
  @state() private type: 'totp' | 'hotp' | 'ocra' = 'totp';

  private async handle(text: string) {
    this.result = await dispatchUri(text, this.m);
  }

  private async fromLink(e: SubmitEvent) {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('uri') as HTMLInputElement;
    await this.handle(input.value);
    if (this.result?.ok) input.value = '';
  }

  private async manual(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = (n: string) => ((form.elements.namedItem(n) as HTMLInputElement | null)?.value ?? '').trim();
    const secret = v('secret').replace(/\s+/g, '').toUpperCase();
    try {
      base32Decode(secret);
    } catch {
      this.result = { ok: false, message: this.m.badSecret };
      return;
    }
    const label = [v('issuer'), v('account')].map(encodeURIComponent).filter(Boolean).join(':') || 'token';
    const params = new URLSearchParams({ secret, algorithm: v('algorithm'), digits: v('digits') });
    if (v('issuer')) params.set('issuer', v('issuer'));
    if (this.type === 'totp') params.set('period', v('period'));
    if (this.type === 'hotp') params.set('counter', v('counter') || '0');
    if (this.type === 'ocra') params.set('suite', v('suite'));
    await this.handle(`otpauth://${this.type}/${label}?${params}`);
    if (this.result?.ok) form.reset();
  }

  override render() {
    const m = this.m;
    const r = this.result;
    return html`<h2>${m.addTitle}</h2>
      <p role="status" class=${r ? (r.ok ? 'ok' : 'error') : ''}>${r?.message ?? ''}</p>
      <section>
        <vf-scanner .m=${m} @vf-scanned=${(e: CustomEvent<{ text: string }>) => this.handle(e.detail.text)}></vf-scanner>
      </section>
      <section>
        <form @submit=${this.fromLink} novalidate>
          <label for="uri">${m.pasteUri}</label>
          <input id="uri" name="uri" autocomplete="off" spellcheck="false" />
          <button type="submit">${m.addUri}</button>
        </form>
      </section>
      <section>
        <h3>${m.manual}</h3>
        <form @submit=${this.manual} novalidate>
          <label for="type">${m.type}</label>
          <select id="type" name="type" @change=${(e: Event) => (this.type = (e.target as HTMLSelectElement).value as 'totp')}>
            <option value="totp">TOTP</option>
            <option value="hotp">HOTP</option>
            <option value="ocra">OCRA</option>
          </select>
          <label for="issuer">${m.issuer}</label>
          <input id="issuer" name="issuer" autocomplete="off" />
          <label for="account">${m.account}</label>
          <input id="account" name="account" autocomplete="off" />
          <label for="secret">${m.secret}</label>
          <input id="secret" name="secret" autocomplete="off" spellcheck="false" required />
          ${
            this.type === 'ocra'
              ? html`<label for="suite">${m.suite}</label><input id="suite" name="suite" value="OCRA-1:HOTP-SHA1-6:QN08" spellcheck="false" />`
              : html`<label for="algorithm">${m.algorithm}</label>
                <select id="algorithm" name="algorithm">
                  ${OTP_ALGORITHMS.map((a) => html`<option>${a}</option>`)}
                </select>
                <label for="digits">${m.digits}</label>
                <select id="digits" name="digits">
                  <option>6</option>
                  <option>8</option>
                </select>`
          }
          ${
            this.type === 'totp'
              ? html`<label for="period">${m.period}</label><select id="period" name="period"><option>30</option><option>60</option></select>`
              : nothing
          }
          ${this.type === 'hotp' ? html`<label for="counter">${m.counter}</label><input id="counter" name="counter" inputmode="numeric" value="0" />` : nothing}
          <button type="submit">${m.addToken}</button>
        </form>
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-add-token': VfAddToken;
  }
}
