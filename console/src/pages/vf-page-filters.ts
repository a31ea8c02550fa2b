import { LitElement, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, type Page, type Resource } from '../api.js';
import { failure, formError, type Failure } from '../forms.js';
import { msg } from '../i18n/index.js';
import { base } from '../styles.js';

type FilterType = 'ip' | 'country' | 'time' | 'userAgent';
interface Filter {
  id: string;
  type: FilterType;
  enabled: boolean;
  mode?: 'allow' | 'deny';
  cidrs?: string[];
  countries?: string[];
  patterns?: string[];
  timezone?: string;
  weekdays?: number[];
  intervals?: { from: string; to: string }[];
}

const lines = (v: FormDataEntryValue | null) =>
  String(v ?? '')
    .split(/[\s,]+/)
    .filter(Boolean);

/** Filters of one resource: IP ranges, countries, time windows with a time zone, user agents. */
@customElement('vf-page-filters')
export class VfPageFilters extends LitElement {
  static override styles = [base];
  @state() private resources: Resource[] = [];
  @state() private resourceId = '';
  @state() private filters: Filter[] = [];
  @state() private type: FilterType = 'ip';
  @state() private error: Failure | undefined;
  @state() private note = '';

  override connectedCallback() {
    super.connectedCallback();
    void this.run(async () => {
      this.resources = (await api.get<Page<Resource>>('resources?limit=500')).items;
      // The Resources page links here with ?resource=ID to show that resource's filters.
      const asked = new URLSearchParams(location.search).get('resource');
      this.resourceId = this.resources.find((r) => r.id === asked)?.id ?? this.resources[0]?.id ?? '';
      await this.load();
    }, '');
  }

  private async load() {
    this.filters = this.resourceId ? (await api.get<Page<Filter>>(`resources/${this.resourceId}/filters?limit=500`)).items : [];
  }

  private async run(fn: () => Promise<void>, note = msg((m) => m.common.saved)) {
    this.error = undefined;
    this.note = '';
    try {
      await fn();
      this.note = note;
    } catch (err) {
      this.error = failure(err);
    }
  }

  private create(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const body: Record<string, unknown> = { type: this.type };
    if (this.type !== 'time') body.mode = f.get('mode');
    if (this.type === 'ip') body.cidrs = lines(f.get('values'));
    if (this.type === 'country') body.countries = lines(f.get('values')).map((c) => c.toUpperCase());
    if (this.type === 'userAgent')
      body.patterns = String(f.get('values') ?? '')
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean);
    if (this.type === 'time') {
      body.timezone = f.get('timezone');
      body.weekdays = f.getAll('weekday').map(Number);
      body.intervals = [{ from: f.get('from'), to: f.get('to') }];
    }
    void this.run(async () => {
      await api.post(`resources/${this.resourceId}/filters`, body);
      await this.load();
    });
  }

  private describe(f: Filter) {
    if (f.type === 'time') return `${f.timezone}: ${f.weekdays?.join(',')} ${f.intervals?.map((i) => `${i.from}–${i.to}`).join(', ')}`;
    return `${f.mode} ${(f.cidrs ?? f.countries ?? f.patterns ?? []).join(', ')}`;
  }

  override render() {
    const days = msg((m) => m.common.weekdays).split(',');
    return html`<h1>${msg((m) => m.filters.title)}</h1>
      <label for="resource">${msg((m) => m.info.resourceId)}</label>
      <select id="resource" @change=${(e: Event) => ((this.resourceId = (e.target as HTMLSelectElement).value), void this.run(() => this.load(), ''))}>
        ${this.resources.map((r) => html`<option value=${r.id} ?selected=${r.id === this.resourceId}>${r.name}</option>`)}
      </select>
      <form class="panel" @submit=${this.create}>
        <label for="ftype">${msg((m) => m.filters.type)}</label>
        <select id="ftype" @change=${(e: Event) => (this.type = (e.target as HTMLSelectElement).value as FilterType)}>
          ${(['ip', 'country', 'time', 'userAgent'] as const).map((t) => html`<option value=${t} ?selected=${t === this.type}>${msg((m) => m.filters[t])}</option>`)}
        </select>
        ${
          this.type === 'time'
            ? html`<label for="timezone">${msg((m) => m.filters.timezone)}</label><input id="timezone" name="timezone" required value=${Intl.DateTimeFormat().resolvedOptions().timeZone} />
              <fieldset><legend>${msg((m) => m.filters.weekdays)}</legend>
                ${days.map((d, i) => html`<label><input type="checkbox" name="weekday" value=${i + 1} ?checked=${i < 5} /> ${d}</label>`)}</fieldset>
              <label for="from">${msg((m) => m.filters.from)}</label><input id="from" name="from" value="08:00" pattern="[0-2][0-9]:[0-5][0-9]" />
              <label for="to">${msg((m) => m.filters.to)}</label><input id="to" name="to" value="18:00" pattern="[0-2][0-9]:[0-5][0-9]" />`
            : html`<label for="mode">${msg((m) => m.filters.mode)}</label>
              <select id="mode" name="mode"><option value="allow">${msg((m) => m.filters.allow)}</option><option value="deny">${msg((m) => m.filters.deny)}</option></select>
              <label for="values">${msg((m) => m.filters.values)}</label><textarea id="values" name="values" rows="3" required></textarea>`
        }
        <p><button class="primary" ?disabled=${!this.resourceId}>${msg((m) => m.common.create)}</button></p>
      </form>
      ${formError(this.error)}
      <p class="ok" role="status">${this.note}</p>
      <div class="scroll"><table>
        <thead><tr><th>${msg((m) => m.filters.type)}</th><th>${msg((m) => m.filters.values)}</th><th>${msg((m) => m.common.active)}</th><th>${msg((m) => m.common.actions)}</th></tr></thead>
        <tbody>${this.filters.map(
          (f) => html`<tr>
            <td>${msg((m) => m.filters[f.type])}</td><td>${this.describe(f)}</td>
            <td><button aria-pressed=${f.enabled ? 'true' : 'false'} @click=${() =>
              void this.run(async () => {
                await api.patch(`resources/${this.resourceId}/filters/${f.id}`, { enabled: !f.enabled });
                await this.load();
              })}>${f.enabled ? msg((m) => m.tokens.on) : msg((m) => m.tokens.off)}</button></td>
            <td><button class="danger" @click=${() =>
              confirm(msg((m) => m.common.confirmDelete, { what: msg((m) => m.filters[f.type]) })) &&
              void this.run(async () => {
                await api.del(`resources/${this.resourceId}/filters/${f.id}`);
                await this.load();
              })}>${msg((m) => m.common.delete)}</button></td>
          </tr>`,
        )}</tbody>
      </table></div>`;
  }
}
