import { LitElement, html, svg } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, query, type EventItem, type Page, type Resource } from '../api.js';
import { msg } from '../i18n/index.js';
import { base } from '../styles.js';

interface Stats {
  resources: Resource[];
  users: number;
  tokens: number;
  logins: EventItem[];
}

/** Dashboard: the integration checklist (seed 004), counts, sign-ins of the last 24 hours. */
@customElement('vf-page-dashboard')
export class VfPageDashboard extends LitElement {
  static override styles = [base];
  @state() private stats: Stats | undefined;
  @state() private error = '';

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      const from = new Date(Date.now() - 24 * 3600_000).toISOString();
      const [resources, users, tokens, logins] = await Promise.all([
        api.get<Page<Resource>>('resources?limit=500'),
        api.get<Page<unknown>>('users?limit=1'),
        api.get<Page<unknown>>('tokens?limit=1'),
        api.get<Page<EventItem>>(`events${query({ from, limit: 500 })}`),
      ]);
      const own = resources.items.filter((r) => r.name !== 'Veriframe console');
      this.stats = {
        resources: own,
        users: users.total,
        tokens: tokens.total,
        logins: logins.items.filter((e) => e.result !== null && /auth|login|widget/.test(e.type)),
      };
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  override render() {
    if (this.error) return html`<p class="error" role="alert">${this.error}</p>`;
    const s = this.stats;
    if (!s) return html`<p role="status">${msg((m) => m.loading)}</p>`;
    const ok = s.logins.filter((e) => e.result === 'success').length;
    const steps: [string, boolean][] = [
      [msg((m) => m.dashboard.stepResource), s.resources.length > 0],
      [msg((m) => m.dashboard.stepOrigins), s.resources.some((r) => r.allowedOrigins.length > 0)],
      [msg((m) => m.dashboard.stepUsers), s.users > 0],
      [msg((m) => m.dashboard.stepTokens), s.tokens > 0],
      [msg((m) => m.dashboard.stepLogin), ok > 0],
    ];
    return html`<h1>${msg((m) => m.dashboard.title)}</h1>
      <section class="panel"><h2>${msg((m) => m.dashboard.checklist)}</h2>
        <ol>${steps.map(([label, done]) => html`<li>${done ? '✔' : '○'} ${label}<span class="sr-only">${done ? msg((m) => m.common.done) : msg((m) => m.common.todo)}</span></li>`)}</ol>
      </section>
      <section class="panel"><h2>${msg((m) => m.dashboard.counts)}</h2>
        <p>${msg((m) => m.nav.resources)}: ${s.resources.length} · ${msg((m) => m.nav.users)}: ${s.users} · ${msg((m) => m.nav.tokens)}: ${s.tokens}</p>
      </section>
      <section class="panel"><h2>${msg((m) => m.dashboard.chart)}</h2>${this.chart(s.logins)}</section>`;
  }

  /** 24 hourly bars: successes over failures. */
  private chart(events: EventItem[]) {
    const hours = Array.from({ length: 24 }, () => ({ ok: 0, fail: 0 }));
    const now = Date.now();
    for (const e of events) {
      const h = 23 - Math.floor((now - Date.parse(e.createdAt)) / 3600_000);
      if (h >= 0 && h < 24) hours[h]![e.result === 'success' ? 'ok' : 'fail']++;
    }
    const max = Math.max(1, ...hours.map((h) => h.ok + h.fail));
    const ok = hours.reduce((n, h) => n + h.ok, 0);
    const fail = hours.reduce((n, h) => n + h.fail, 0);
    return html`<svg viewBox="0 0 240 100" width="100%" height="120" role="img" aria-label=${msg((m) => m.dashboard.chartLabel, { ok, fail })}>
      ${hours.map((h, i) => {
        const okH = (h.ok / max) * 95;
        const failH = (h.fail / max) * 95;
        return svg`<rect x=${i * 10 + 1} y=${100 - okH} width="8" height=${okH} fill="var(--vf-ok)"></rect>
          <rect x=${i * 10 + 1} y=${100 - okH - failH} width="8" height=${failH} fill="var(--vf-danger)"></rect>`;
      })}
    </svg>`;
  }
}
