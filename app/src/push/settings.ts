// <vf-push-settings>: the notifications line of the settings (shown only with push tokens). It
// says quietly whether sign-in requests also arrive as notifications (Web Push) or only while
// the app is open (server-sent events), and offers to turn notifications on where that can work.
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { base } from '../styles.js';
import { pushMessages, type PushMessages } from './messages.js';
import { enableWebPush, onWebPushChange, webPushState, type WebPushState } from './web-push.js';

const lines: Record<Exclude<WebPushState, 'none'>, keyof PushMessages> = {
  off: 'notifyServerOff',
  unsupported: 'notifyUnsupported',
  denied: 'notifyDenied',
  available: 'notifyAvailable',
  on: 'notifyOn',
  failed: 'notifyFailed',
};

@customElement('vf-push-settings')
export class VfPushSettings extends LitElement {
  static override styles = [base];

  /** Set by the settings view so that the line follows the chosen language. */
  @property() language = '';
  @state() private state: WebPushState | undefined;
  @state() private busy = false;
  private unlisten: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.unlisten = onWebPushChange(() => void this.refresh());
    void this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unlisten?.();
  }

  private async refresh(): Promise<void> {
    this.state = await webPushState();
  }

  private async enable(): Promise<void> {
    this.busy = true;
    this.state = await enableWebPush();
    this.busy = false;
  }

  override render() {
    const s = this.state;
    if (!s || s === 'none') return nothing;
    const m = pushMessages();
    const canEnable = s === 'available' || s === 'failed';
    return html`<section aria-labelledby="notify-h">
      <h3 id="notify-h">${m.notifications}</h3>
      <p role="status" class="muted" id="notify-state">${m[lines[s]]}</p>
      ${canEnable ? html`<button class="secondary" ?disabled=${this.busy} @click=${this.enable}>${s === 'failed' ? m.notifyRetry : m.notifyEnable}</button>` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-push-settings': VfPushSettings;
  }
}
