// <vf-push-inbox>: the sign-in requests waiting for this device, on the app's home screen. For
// each push token it keeps a server-sent event stream open while the app is unlocked and shown
// (EventSource cannot send headers, so the URL carries a fresh signature of the device key), and
// shows each request with who, what, where and when, to approve or deny by signing the answer.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { PUSH_EVENT, streamProof, type PushChallengeView, type PushDecision } from '../../../shared/push.js';
import { fill } from '../i18n/index.js';
import { base } from '../styles.js';
import { vaultEvents } from '../vault.js';
import { pushTokens, sign, type PushToken } from './device.js';
import { pushMessages } from './messages.js';
import { answer, type AnswerOutcome } from './answer.js';
import { syncWebPush } from './web-push.js';

/** The message the service worker posts when its notification is clicked (sw.ts). */
const OPEN_MESSAGE = 'vf-push-open';

/** The challenge a notification opened the app at: /app/#challenge={id}. */
const challengeInHash = () => /^#challenge=([0-9a-f-]{36})$/i.exec(location.hash)?.[1] ?? '';

/** How long to wait before reopening a stream that ended or failed. */
const RECONNECT_MS = 3_000;

type Pending = PushChallengeView & { serial: string };
type Note = { ok: boolean; text: string };

@customElement('vf-push-inbox')
export class VfPushInbox extends LitElement {
  static override styles = [
    base,
    css`
      section {
        border: 1px solid var(--border);
        border-radius: 8px;
        padding: 0.75rem 1rem;
        margin: 0 0 1rem;
        background: var(--card);
      }
      h2 {
        font-size: 1.1rem;
        margin: 0 0 0.5rem;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      li + li {
        border-top: 1px solid var(--border);
        margin-top: 0.75rem;
        padding-top: 0.75rem;
      }
      .what {
        font-weight: 600;
        margin: 0;
        overflow-wrap: anywhere;
      }
      .data {
        font-family: ui-monospace, monospace;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        margin: 0.25rem 0;
      }
      .meta {
        color: var(--muted);
        margin: 0;
        overflow-wrap: anywhere;
      }
      .buttons {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin-top: 0.5rem;
      }
      button {
        font: inherit;
        min-height: 44px;
        padding: 0.4rem 1rem;
        border-radius: 6px;
        border: 1px solid var(--border);
        background: var(--bg);
        color: var(--text);
        cursor: pointer;
      }
      button.approve {
        background: var(--accent);
        color: var(--accent-text);
        border-color: var(--accent);
      }
      button:focus-visible {
        outline: 3px solid var(--accent);
        outline-offset: 2px;
      }
      .ok {
        color: var(--ok);
      }
      .error {
        color: var(--error);
      }
    `,
  ];

  @state() private tokens: PushToken[] = [];
  @state() private pending: Pending[] = [];
  @state() private note: Note | null = null;
  @state() private busy = '';

  private streams = new Map<string, EventSource>();
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private byToken = new Map<string, PushChallengeView[]>();
  private live = false;
  /** The serials whose Web Push subscription was registered in this page. */
  private synced = '';
  /** A challenge to bring into view once it is listed (from a notification). */
  private wanted = challengeInHash();

  private readonly reload = () => void this.load();
  private readonly onHash = () => {
    this.wanted = challengeInHash() || this.wanted;
    this.requestUpdate();
  };
  private readonly onWorkerMessage = (e: MessageEvent) => {
    const d = e.data as { type?: unknown; challenge?: unknown } | null;
    if (d?.type === OPEN_MESSAGE && typeof d.challenge === 'string') {
      this.wanted = d.challenge;
      this.requestUpdate();
    }
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.live = true;
    vaultEvents.addEventListener('change', this.reload);
    navigator.serviceWorker?.addEventListener('message', this.onWorkerMessage);
    window.addEventListener('hashchange', this.onHash);
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.live = false;
    vaultEvents.removeEventListener('change', this.reload);
    navigator.serviceWorker?.removeEventListener('message', this.onWorkerMessage);
    window.removeEventListener('hashchange', this.onHash);
    this.closeAll();
  }

  private closeAll(): void {
    for (const s of this.streams.values()) s.close();
    this.streams.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** (Re)reads the push tokens and opens a stream for each new one; a locked vault has none. */
  private async load(): Promise<void> {
    let tokens: PushToken[];
    try {
      tokens = await pushTokens();
    } catch {
      tokens = []; // locked
    }
    if (!this.live) return;
    this.tokens = tokens;
    const serials = new Set(tokens.map((t) => t.data.serial));
    for (const [serial, s] of this.streams) {
      if (!serials.has(serial)) {
        s.close();
        this.streams.delete(serial);
        this.byToken.delete(serial);
      }
    }
    for (const t of tokens) if (!this.streams.has(t.data.serial)) await this.open(t);
    this.merge();
    // Web Push as well when allowed before; never asks, and a failure leaves the streams as they are.
    const held = [...serials].sort().join(' ');
    if (held !== this.synced) {
      this.synced = held;
      void syncWebPush(tokens).catch(() => undefined);
    }
  }

  /** Brings the challenge a notification was for into view, once it is listed. */
  override updated(): void {
    if (!this.wanted) return;
    const item = this.renderRoot.querySelector<HTMLElement>(`li[data-id="${CSS.escape(this.wanted)}"]`);
    if (!item) return;
    this.wanted = '';
    if (challengeInHash()) history.replaceState(null, '', location.pathname + location.search);
    item.scrollIntoView({ block: 'center' });
    item.focus();
  }

  private async open(t: PushToken): Promise<void> {
    const now = Date.now();
    const q = new URLSearchParams({ serial: t.data.serial, timestamp: String(now), signature: await sign(t.key, streamProof(t.data.serial, now)) });
    if (!this.live) return;
    const source = new EventSource(`/app/api/push/events?${q.toString()}`);
    this.streams.set(t.data.serial, source);
    source.addEventListener(PUSH_EVENT, (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as { challenges: PushChallengeView[] };
      this.byToken.set(t.data.serial, data.challenges);
      this.merge();
    });
    // The stream ends after minutes, or the network drops: a new one with a fresh signature.
    source.onerror = () => {
      source.close();
      if (this.streams.get(t.data.serial) !== source) return;
      this.streams.delete(t.data.serial);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.live && this.tokens.includes(t)) void this.open(t);
      }, RECONNECT_MS);
      this.timers.add(timer);
    };
  }

  private merge(): void {
    this.pending = [...this.byToken.entries()]
      .flatMap(([serial, list]) => list.map((c) => ({ ...c, serial })))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  private async decide(c: Pending, decision: PushDecision): Promise<void> {
    const token = this.tokens.find((t) => t.data.serial === c.serial);
    if (!token || this.busy) return;
    this.busy = c.id;
    const outcome: AnswerOutcome = await answer(token, c.id, decision);
    this.busy = '';
    const m = pushMessages();
    this.byToken.set(
      c.serial,
      (this.byToken.get(c.serial) ?? []).filter((x) => x.id !== c.id),
    );
    this.merge();
    this.note = outcome.ok
      ? { ok: true, text: decision === 'approve' ? m.approved : m.denied }
      : { ok: false, text: fill(m.answerFailed, { reason: fill(m[outcome.reason], { code: outcome.code ?? '' }) }) };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[role=status]')?.focus();
  }

  private renderItem(c: Pending) {
    const m = pushMessages();
    const time = (iso: string) => new Date(iso).toLocaleTimeString(document.documentElement.lang || undefined);
    const where = c.ip ? fill(c.country ? m.fromCountry : m.from, { ip: c.ip, country: c.country ?? '' }) : m.unknownPlace;
    const busy = this.busy === c.id;
    return html`<li data-id=${c.id} tabindex="-1">
      <p class="what">${c.purpose === 'transaction' ? fill(m.confirmData, { resource: c.resource, login: c.login }) : fill(m.signIn, { resource: c.resource, login: c.login })}</p>
      ${c.data !== null ? html`<p class="data">${c.data}</p>` : nothing}
      <p class="meta">${where}</p>
      ${c.userAgent ? html`<p class="meta">${fill(m.browser, { ua: c.userAgent })}</p>` : nothing}
      <p class="meta">${fill(m.at, { time: time(c.createdAt), expires: time(c.expiresAt) })}</p>
      <div class="buttons">
        <button class="approve" type="button" ?disabled=${busy} @click=${() => this.decide(c, 'approve')}>${m.approve}</button>
        <button type="button" ?disabled=${busy} @click=${() => this.decide(c, 'deny')}>${m.deny}</button>
      </div>
    </li>`;
  }

  override render() {
    if (this.tokens.length === 0) return nothing;
    const m = pushMessages();
    return html`<section aria-labelledby="push-inbox-title">
      <h2 id="push-inbox-title">${m.inbox}</h2>
      <p role="status" tabindex="-1" class=${this.note ? (this.note.ok ? 'ok' : 'error') : 'meta'}>${this.note?.text ?? (this.pending.length ? '' : m.connecting)}</p>
      <ul>
        ${repeat(
          this.pending,
          (c) => c.id,
          (c) => this.renderItem(c),
        )}
      </ul>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-push-inbox': VfPushInbox;
  }
}
