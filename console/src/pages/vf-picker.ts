import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, query, type Page } from '../api.js';
import { msg } from '../i18n/index.js';
import { latestOnly } from '../latest.js';
import { base } from '../styles.js';

declare global {
  interface HTMLElementEventMap {
    'pick-change': CustomEvent<{ item: Pickable | undefined }>;
  }
}

export type Pickable = { id: string } & Record<string, unknown>;

/**
 * Chooses one object of a list the caller may see (users, resources): the server searches it
 * (the same scope as the list page), the matches fill a select. Nothing is chosen until the
 * administrator picks one, so a first match is never taken by accident.
 */
@customElement('vf-picker')
export class VfPicker extends LitElement {
  static override styles = [base];
  /** API list path, e.g. `users` or `resources`. */
  @property() path = '';
  @property() label = '';
  /** How an item reads in the list. */
  @property({ attribute: false }) describe: (item: Pickable) => string = (i) => i.id;
  /** An error about the choice, shown next to it. */
  @property() error = '';
  @state() private items: Pickable[] = [];
  @state() private total = 0;
  @state() private loadError = '';
  @state() private chosen: Pickable | undefined;

  get value(): Pickable | undefined {
    return this.chosen;
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.search('');
  }

  private readonly searches = latestOnly();

  private async search(text: string) {
    const current = this.searches();
    try {
      const page = await api.get<Page<Pickable>>(`${this.path}${query({ search: text, limit: 20 })}`);
      // Only the latest search's matches are shown (latest.ts).
      if (!current()) return;
      this.items = page.items;
      this.total = page.total;
      this.loadError = '';
      // A choice made from the list while this search ran stays when the new matches hold it;
      // otherwise nothing is chosen: the list no longer shows it.
      const chosen = this.chosen;
      this.pick(chosen && page.items.find((i) => i.id === chosen.id));
    } catch (err) {
      if (current()) this.loadError = (err as Error).message;
    }
  }

  private pick(item: Pickable | undefined) {
    this.chosen = item;
    this.dispatchEvent(new CustomEvent('pick-change', { detail: { item }, bubbles: true, composed: true }));
  }

  override render() {
    const find = () => void this.search((this.renderRoot.querySelector('#find') as HTMLInputElement).value.trim());
    const error = this.error || this.loadError;
    return html`<div>
      <label for="find">${msg((m) => m.picker.find, { what: this.label })}</label>
      <div class="row">
        <input id="find" type="search" @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && ((e.preventDefault(), find()))} />
        <button type="button" @click=${find}>${msg((m) => m.common.search)}</button>
      </div>
      <label for="choice">${this.label}</label>
      <select id="choice" aria-invalid=${error ? 'true' : 'false'} aria-describedby="choice-error"
        @change=${(e: Event) => this.pick(this.items.find((i) => i.id === (e.target as HTMLSelectElement).value))}>
        <option value="" ?selected=${!this.chosen}>${this.items.length ? msg((m) => m.picker.choose) : msg((m) => m.picker.noMatch)}</option>
        ${this.items.map((i) => html`<option value=${i.id} ?selected=${this.chosen?.id === i.id}>${this.describe(i)}</option>`)}
      </select>
      ${this.total > this.items.length ? html`<p class="muted">${msg((m) => m.picker.more, { shown: this.items.length, total: this.total })}</p>` : ''}
      ${error ? html`<p class="error" id="choice-error" role="alert">${error}</p>` : ''}
    </div>`;
  }
}
