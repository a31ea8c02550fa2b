import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { homeSlotTags } from './extensions.js';
import { fill, type AppMessages } from './i18n/index.js';
import type { OtpRecord, TokenRecord } from './records.js';
import { correctedNow } from './settings.js';
import { base } from './styles.js';
import { deleteRecord, listRecords, putRecord, reorder, vaultEvents } from './vault.js';
import type { CardAction } from './vf-token-card.js';
import './vf-token-card.js';

/** The home screen: extension elements (push inbox), then the tokens in the user's order. */
@customElement('vf-token-list')
export class VfTokenList extends LitElement {
  static override styles = [
    base,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .push {
        background: var(--card);
        border: 1px solid var(--border);
        border-radius: 8px;
        padding: 0.75rem;
        margin: 0 0 0.75rem;
      }
    `,
  ];
  @property({ attribute: false }) m!: AppMessages;
  @property({ type: Boolean }) hide = false;
  @state() private records: TokenRecord[] = [];
  @state() private now = correctedNow();
  private timer: ReturnType<typeof setInterval> | undefined;
  private slots = new Map<string, HTMLElement>();
  private readonly reload = () =>
    void listRecords().then(
      (r) => (this.records = r),
      () => undefined,
    );

  override connectedCallback() {
    super.connectedCallback();
    vaultEvents.addEventListener('change', this.reload);
    this.reload();
    this.timer = setInterval(() => (this.now = correctedNow()), 1000);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    vaultEvents.removeEventListener('change', this.reload);
    clearInterval(this.timer);
  }

  private async onCard(e: CustomEvent<{ action: CardAction; id: string }>) {
    const { action, id } = e.detail;
    const ids = this.records.map((r) => r.id);
    const at = ids.indexOf(id);
    const record = this.records[at];
    if (!record) return;
    if (action === 'up' || action === 'down') {
      const to = action === 'up' ? at - 1 : at + 1;
      if (to < 0 || to >= ids.length) return;
      [ids[at], ids[to]] = [ids[to]!, ids[at]!];
      await reorder(ids);
    } else if (action === 'remove') {
      if (confirm(fill(this.m.confirmRemove, { name: record.kind === 'push' ? record.label : record.issuer || record.account }))) await deleteRecord(id);
    } else if (action === 'next' && record.kind === 'otp') {
      await putRecord({ ...record, counter: (BigInt(record.counter) + 1n).toString() });
    } else if (action === 'respond') {
      this.dispatchEvent(new CustomEvent('vf-navigate', { detail: { view: 'confirm', tokenId: id }, bubbles: true, composed: true }));
    }
  }

  private slotElement(tag: string) {
    let el = this.slots.get(tag);
    if (!el) this.slots.set(tag, (el = document.createElement(tag)));
    return el;
  }

  override render() {
    const m = this.m;
    const records = this.records;
    return html`${homeSlotTags().map((t) => this.slotElement(t))}
      ${records.length === 0 ? html`<p class="muted">${m.empty}</p>` : nothing}
      <ul @vf-card=${this.onCard}>
        ${repeat(
          records,
          (r) => r.id,
          (r, i) =>
            r.kind === 'push'
              ? html`<li class="push">${r.label}</li>`
              : html`<li>
                <vf-token-card .m=${m} .record=${r as OtpRecord} .now=${this.now} ?hide=${this.hide} ?first=${i === 0} ?last=${i === records.length - 1}></vf-token-card>
              </li>`,
        )}
      </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-token-list': VfTokenList;
  }
}
