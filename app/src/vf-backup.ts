import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { renderSVG } from 'uqr';
import * as api from './api.js';
import { exportBackup, fromServerData, MIN_PASSWORD, openBackup, toServerData } from './backup.js';
import { fill, type AppMessages } from './i18n/index.js';
import type { OtpRecord } from './records.js';
import { loadSettings, updateSettings, type Settings } from './settings.js';
import { base } from './styles.js';
import { startTransfer } from './transfer.js';
import { listRecords, putRecord } from './vault.js';

type Section = 'file' | 'server' | 'transfer';
type Note = { ok: boolean; text: string };

/** Backup file (export/import), server backup, and transfer to a new device. */
@customElement('vf-backup')
export class VfBackup extends LitElement {
  static override styles = [base];
  @property({ attribute: false }) m!: AppMessages;
  @state() private notes: Partial<Record<Section, Note>> = {};
  @state() private busy = false;
  @state() private settings: Settings | undefined;
  @state() private transferUri = '';

  override connectedCallback() {
    super.connectedCallback();
    void loadSettings().then((s) => (this.settings = s));
  }

  private note(section: Section, ok: boolean, text: string) {
    this.notes = { ...this.notes, [section]: { ok, text } };
  }

  private password(form: HTMLFormElement, section: Section): string | undefined {
    const pw = (form.elements.namedItem('password') as HTMLInputElement).value;
    if (pw.length < MIN_PASSWORD) return void this.note(section, false, this.m.passwordTooShort);
    return pw;
  }

  private async restore(tokens: OtpRecord[] | 'not_backup' | 'wrong_password', section: Section) {
    if (tokens === 'not_backup') return this.note(section, false, this.m.notBackup);
    if (tokens === 'wrong_password') return this.note(section, false, this.m.wrongPassword);
    for (const t of tokens) await putRecord(t);
    this.note(section, true, fill(this.m.restored, { n: tokens.length }));
  }

  private async busyDo(section: Section, work: () => Promise<void>) {
    this.busy = true;
    try {
      await work();
    } catch (err) {
      this.note(section, false, fill(this.m.serverFailed, { reason: (err as Error).message }));
    } finally {
      this.busy = false;
    }
  }

  private async exportFile(e: SubmitEvent) {
    e.preventDefault();
    const pw = this.password(e.target as HTMLFormElement, 'file');
    if (!pw) return;
    await this.busyDo('file', async () => {
      const text = await exportBackup(await listRecords(), pw);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      a.download = `veriframe-authenticator-${new Date().toISOString().slice(0, 10)}.vfbackup`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
      this.note('file', true, this.m.pushNotIncluded);
    });
  }

  private async importFile(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const file = (form.elements.namedItem('file') as HTMLInputElement).files?.[0];
    const pw = (form.elements.namedItem('password') as HTMLInputElement).value;
    if (!file) return this.note('file', false, this.m.notBackup);
    await this.busyDo('file', async () => this.restore(await openBackup(await file.text(), { password: pw }), 'file'));
  }

  private async saveServer(e: SubmitEvent) {
    e.preventDefault();
    const pw = this.password(e.target as HTMLFormElement, 'server');
    if (!pw) return;
    await this.busyDo('server', async () => {
      const data = toServerData(await exportBackup(await listRecords(), pw));
      const current = this.settings?.serverBackup;
      const saved = current ? { ...current, ...(await api.replaceBackup(current.id, current.writeKey, data)) } : await api.createBackup(data);
      this.settings = await updateSettings({ serverBackup: saved });
      this.note('server', true, fill(this.m.serverSaved, { time: new Date(saved.updatedAt).toLocaleString() }));
    });
  }

  private async deleteServer() {
    const current = this.settings?.serverBackup;
    if (!current) return;
    await this.busyDo('server', async () => {
      await api.deleteBackup(current.id, current.writeKey);
      this.settings = await updateSettings({ serverBackup: undefined });
      this.note('server', true, this.m.serverDeleted);
    });
  }

  private async restoreServer(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const id = (form.elements.namedItem('backup-id') as HTMLInputElement).value.trim();
    const pw = (form.elements.namedItem('password') as HTMLInputElement).value;
    await this.busyDo('server', async () => this.restore(await openBackup(fromServerData((await api.readBackup(id)).data), { password: pw }), 'server'));
  }

  private async transfer() {
    await this.busyDo('transfer', async () => {
      this.transferUri = await startTransfer(await listRecords());
      this.note('transfer', true, this.m.pushNotIncluded);
    });
  }

  private noteFor(section: Section) {
    const n = this.notes[section];
    return html`<p role="status" class=${n ? (n.ok ? 'ok' : 'error') : ''}>${n?.text ?? ''}</p>`;
  }

  private pw(id: string, autocomplete: string) {
    return html`<label for=${id}>${this.m.backupPassword}</label>
      <input id=${id} name="password" type="password" autocomplete=${autocomplete} aria-describedby="pw-help" />`;
  }

  override render() {
    const m = this.m;
    const server = this.settings?.serverBackup;
    const qr = this.transferUri ? `data:image/svg+xml,${encodeURIComponent(renderSVG(this.transferUri, { border: 2, ecc: 'L' }))}` : '';
    return html`<h2>${m.backupTitle}</h2>
      <p id="pw-help" class="muted">${m.backupPasswordHelp} ${m.pushNotIncluded}</p>
      <section aria-labelledby="file-h">
        <h3 id="file-h">${m.exportFile}</h3>
        <form @submit=${this.exportFile} novalidate>${this.pw('export-pw', 'new-password')}<button ?disabled=${this.busy}>${m.exportFile}</button></form>
        <h3>${m.importFile}</h3>
        <form @submit=${this.importFile} novalidate>
          <label for="backup-file">${m.backupFile}</label><input id="backup-file" name="file" type="file" accept=".vfbackup,application/json" />
          ${this.pw('import-pw', 'current-password')}<button ?disabled=${this.busy}>${m.importFile}</button>
        </form>
        ${this.noteFor('file')}
      </section>
      <section aria-labelledby="server-h">
        <h3 id="server-h">${m.serverBackup}</h3>
        <p class="muted">${m.serverBackupHelp}</p>
        ${server ? html`<p>${m.backupId}: <code data-backup-id>${server.id}</code></p>` : nothing}
        <form @submit=${this.saveServer} novalidate>
          ${this.pw('server-pw', 'new-password')}<button ?disabled=${this.busy}>${server ? m.updateServer : m.saveServer}</button>
          ${server ? html`<button type="button" class="secondary" ?disabled=${this.busy} @click=${this.deleteServer}>${m.deleteServer}</button>` : nothing}
        </form>
        <form @submit=${this.restoreServer} novalidate>
          <label for="backup-id">${m.backupId}</label><input id="backup-id" name="backup-id" autocomplete="off" spellcheck="false" />
          ${this.pw('restore-pw', 'current-password')}<button ?disabled=${this.busy}>${m.restoreServer}</button>
        </form>
        ${this.noteFor('server')}
      </section>
      <section aria-labelledby="transfer-h">
        <h3 id="transfer-h">${m.transfer}</h3>
        <p class="muted">${m.transferHelp}</p>
        <button ?disabled=${this.busy} @click=${this.transfer}>${m.transferStart}</button>
        ${
          qr
            ? html`<p><img src=${qr} alt=${m.transfer} width="240" height="240" /></p>
              <label for="transfer-code">${m.transferCode}</label><input id="transfer-code" readonly .value=${this.transferUri} />`
            : nothing
        }
        ${this.noteFor('transfer')}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-backup': VfBackup;
  }
}
