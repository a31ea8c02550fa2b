import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { base32Decode } from '../../shared/otp/base32.js';
import { parseOcraSuite, type OcraSuite } from '../../shared/otp/ocra.js';
import { fill, type AppMessages } from './i18n/index.js';
import { ocraCode } from './otp.js';
import type { OtpRecord } from './records.js';
import { correctedNow } from './settings.js';
import { base } from './styles.js';
import { listRecords, putRecord } from './vault.js';
import './vf-scanner.js';

/**
 * A scanned challenge is either the bare challenge or `vfocra:?q=CHALLENGE&d=WHAT` where WHAT is
 * the transaction in words (e.g. "Pay 120.00 EUR to DE89…"), which the app shows before it
 * computes the response: the user confirms what they see, not what a phished page says.
 */
export function readChallenge(text: string): { question: string; data: string } {
  const t = text.trim();
  if (/^vfocra:/i.test(t)) {
    const params = new URLSearchParams(t.slice(t.indexOf('?') + 1));
    return { question: params.get('q') ?? '', data: params.get('d') ?? '' };
  }
  return { question: t, data: '' };
}

/** Confirm What You See: OCRA challenge (typed or scanned) → the data shown → the response. */
@customElement('vf-confirm')
export class VfConfirm extends LitElement {
  static override styles = [base];
  @property({ attribute: false }) m!: AppMessages;
  @property() tokenId = '';
  @state() private tokens: OtpRecord[] = [];
  @state() private pending: { question: string; data: string } | undefined;
  @state() private response = '';
  @state() private error = '';

  override connectedCallback() {
    super.connectedCallback();
    void listRecords().then((all) => {
      this.tokens = all.filter((r): r is OtpRecord => r.kind === 'otp' && r.type === 'ocra');
    });
  }

  private get token(): OtpRecord | undefined {
    const select = this.renderRoot.querySelector<HTMLSelectElement>('#ocra-token');
    const id = select?.value || this.tokenId;
    return this.tokens.find((t) => t.id === id) ?? this.tokens[0];
  }

  private check(text: string) {
    this.response = '';
    this.error = '';
    const c = readChallenge(text);
    const token = this.token;
    if (!token?.suite) return;
    const suite = parseOcraSuite(token.suite);
    const q = c.question;
    const fits =
      q.length >= 4 &&
      q.length <= suite.question.length &&
      (suite.question.format === 'N' ? /^\d+$/.test(q) : suite.question.format === 'H' ? /^[0-9a-f]+$/i.test(q) : /^[\x21-\x7e]+$/.test(q));
    if (!fits) {
      this.pending = undefined;
      this.error = fill(this.m.badChallenge, { reason: `${suite.question.format}${String(suite.question.length).padStart(2, '0')}` });
      return;
    }
    this.pending = c;
  }

  private async respond(e: SubmitEvent) {
    e.preventDefault();
    const token = this.token;
    const pending = this.pending;
    if (!token?.suite || !pending) return;
    const suite: OcraSuite = parseOcraSuite(token.suite);
    const form = e.target as HTMLFormElement;
    const field = (n: string) => (form.elements.namedItem(n) as HTMLInputElement | null)?.value;
    try {
      this.response = await ocraCode(token.suite, base32Decode(token.secret), {
        question: pending.question,
        ...(suite.counter ? { counter: BigInt(token.counter) } : {}),
        ...(suite.pin ? { pin: field('ocra-pin') ?? '' } : {}),
        ...(suite.session !== undefined ? { session: field('ocra-session') ?? '' } : {}),
        ...(suite.timeStep !== undefined ? { nowMs: correctedNow() } : {}),
      });
      if (suite.counter) await putRecord({ ...token, counter: (BigInt(token.counter) + 1n).toString() });
    } catch (err) {
      this.error = fill(this.m.badChallenge, { reason: (err as Error).message });
    }
  }

  override render() {
    const m = this.m;
    if (this.tokens.length === 0) return html`<h2>${m.ocraTitle}</h2><p class="muted">${m.noOcraTokens}</p>`;
    const suite = this.token?.suite ? parseOcraSuite(this.token.suite) : undefined;
    const p = this.pending;
    return html`<h2>${m.ocraTitle}</h2>
      <p class="muted">${m.ocraHelp}</p>
      <label for="ocra-token">${m.ocraToken}</label>
      <select id="ocra-token" @change=${() => ((this.pending = undefined), (this.response = ''), this.requestUpdate())}>
        ${this.tokens.map((t) => html`<option value=${t.id} ?selected=${t.id === this.tokenId}>${t.issuer || t.account} — ${t.suite}</option>`)}
      </select>
      <form
        @submit=${(e: SubmitEvent) => {
          e.preventDefault();
          this.check(((e.target as HTMLFormElement).elements.namedItem('challenge') as HTMLInputElement).value);
        }}
        novalidate
      >
        <label for="challenge">${m.challenge}</label>
        <input id="challenge" name="challenge" autocomplete="off" spellcheck="false" aria-describedby="ocra-error" />
        <button type="submit">${m.checkChallenge}</button>
      </form>
      <vf-scanner .m=${m} label=${m.scanChallenge} @vf-scanned=${(e: CustomEvent<{ text: string }>) => this.check(e.detail.text)}></vf-scanner>
      <p id="ocra-error" class="error" role="alert">${this.error}</p>
      ${
        p
          ? html`<form @submit=${this.respond} novalidate>
            <h3>${m.confirming}</h3>
            <p data-confirming><strong>${p.data || fill(m.challengeOnly, { q: p.question })}</strong></p>
            ${p.data ? html`<p class="muted">${m.challenge}: ${p.question}</p>` : nothing}
            ${suite?.pin ? html`<label for="ocra-pin">${m.ocraPin}</label><input id="ocra-pin" name="ocra-pin" type="password" autocomplete="off" />` : nothing}
            ${suite?.session !== undefined ? html`<label for="ocra-session">${m.ocraSession}</label><input id="ocra-session" name="ocra-session" autocomplete="off" />` : nothing}
            <button type="submit">${m.showResponse}</button>
          </form>`
          : nothing
      }
      ${this.response ? html`<h3>${m.response}</h3><p class="code" data-response aria-live="polite"><strong>${this.response}</strong></p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-confirm': VfConfirm;
  }
}
