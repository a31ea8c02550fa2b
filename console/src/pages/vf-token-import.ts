import { LitElement, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ApiError, request } from '../api.js';
import { msg } from '../i18n/index.js';
import { base } from '../styles.js';

declare global {
  interface HTMLElementEventMap {
    'tokens-imported': CustomEvent<{ imported: number }>;
  }
}

type LineError = { line: number; reason: string };

/** Import CSV (all lines or none); every bad line is listed with its number and reason. */
@customElement('vf-token-import')
export class VfTokenImport extends LitElement {
  static override styles = [base];
  @state() private lines: LineError[] = [];
  @state() private error = '';
  @state() private result = '';
  @state() private busy = false;

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const file = f.get('file');
    this.lines = [];
    this.error = '';
    this.result = '';
    if (!(file instanceof File) || file.size === 0) {
      this.error = msg((m) => m.importer.noFile);
      return;
    }
    this.busy = true;
    try {
      const q = new URLSearchParams({ kind: String(f.get('kind')), type: String(f.get('type')), encoding: String(f.get('encoding')) });
      const { imported } = await request<{ imported: number }>('POST', `tokens/import?${q}`, await file.text(), { contentType: 'text/csv' });
      this.result = msg((m) => m.importer.imported, { count: imported });
      this.dispatchEvent(new CustomEvent('tokens-imported', { detail: { imported }, bubbles: true, composed: true }));
    } catch (err) {
      const lines = err instanceof ApiError ? (err.details as { lines?: LineError[] } | undefined)?.lines : undefined;
      if (lines?.length) this.lines = lines;
      else this.error = (err as Error).message;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<section class="panel" aria-labelledby="it">
      <h2 id="it">${msg((m) => m.importer.title)}</h2>
      <p class="muted">${msg((m) => m.importer.help)}</p>
      <form @submit=${this.submit}>
        <label for="file">${msg((m) => m.importer.file)}</label>
        <input id="file" name="file" type="file" accept=".csv,text/csv,text/plain" aria-describedby="import-errors" />
        <label for="kind">${msg((m) => m.tokens.kind)}</label>
        <select id="kind" name="kind"><option value="hardware">${msg((m) => m.wizard.hardware)}</option><option value="universal">${msg((m) => m.wizard.universal)}</option></select>
        <label for="type">${msg((m) => m.tokens.type)}</label>
        <select id="type" name="type"><option value="totp">TOTP</option><option value="hotp">HOTP</option></select>
        <label for="encoding">${msg((m) => m.importer.encoding)}</label>
        <select id="encoding" name="encoding"><option value="base32">${msg((m) => m.importer.base32)}</option><option value="hex">${msg((m) => m.importer.hex)}</option></select>
        <p><button class="primary" ?disabled=${this.busy}>${msg((m) => m.importer.submit)}</button></p>
      </form>
      <div id="import-errors" role="alert">
        ${this.error ? html`<p class="error">${this.error}</p>` : ''}
        ${
          this.lines.length
            ? html`<p class="error">${msg((m) => m.importer.badLines, { count: this.lines.length })}</p>
              <ul class="error">${this.lines.map((l) => html`<li data-line=${l.line}>${msg((m) => m.importer.line, { line: l.line, reason: l.reason })}</li>`)}</ul>`
            : ''
        }
      </div>
      ${this.result ? html`<p class="ok" role="status">${this.result}</p>` : ''}
    </section>`;
  }
}
