import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { StepAnswer } from '../../../shared/protocol.js';
import type { Translator } from '../i18n/index.js';
import { pushWait, type ApiResult } from './api.js';
import { base } from './styles.js';

/** How often the widget asks its server whether the app answered. */
export const PUSH_POLL_MS = 1_500;

/**
 * Waiting for the user's authenticator app (push token): says what to do, and asks the
 * server until the answer is no longer "waiting". It never decides anything itself.
 *
 * @fires vf-push-answer - the first answer that is not "still waiting"; detail: the ApiResult.
 */
@customElement('vf-push')
export class VfPush extends LitElement {
  static override styles = base;

  @property({ attribute: false }) t!: Translator;
  @property({ attribute: false }) transaction = '';
  /** `enroll/push`: waiting for the app to add the token being enrolled, not for an approval. */
  @property() path: 'push' | 'enroll/push' = 'push';

  private timer: ReturnType<typeof setTimeout> | undefined;
  private active = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.active = true;
    this.schedule();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.active = false;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.ask(), PUSH_POLL_MS);
  }

  private async ask(): Promise<void> {
    const r: ApiResult<StepAnswer> = await pushWait(this.path, { transaction: this.transaction });
    if (!this.active) return;
    if (r.ok && r.data.step === 'push') return this.schedule();
    this.active = false;
    this.dispatchEvent(new CustomEvent<ApiResult<StepAnswer>>('vf-push-answer', { detail: r, bubbles: true, composed: true }));
  }

  override focus(): void {
    this.renderRoot.querySelector<HTMLElement>('p')?.focus();
  }

  protected override render() {
    const m = this.t.m;
    // While enrolling, vf-enroll above says what to do.
    return html`${this.path === 'push' ? html`<p tabindex="-1">${m.pushIntro}</p>` : ''}
      <p class="muted" role="status" tabindex="-1">${m.pushWaiting}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-push': VfPush;
  }
}
