import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { fill, type AppMessages } from './i18n/index.js';
import { decodeFile, decodeVideoFrame } from './qr.js';
import { base } from './styles.js';

/**
 * Reads a QR code from the camera or from an image file. Fires `vf-scanned` {text}. The camera
 * runs only while asked for; a decoded code stops it (a Google export is several codes: the
 * user starts it again for the next one).
 */
@customElement('vf-scanner')
export class VfScanner extends LitElement {
  static override styles = [
    base,
    css`
      video {
        width: 100%;
        max-width: 24rem;
        border-radius: 8px;
        background: #000;
      }
      input[type='file'] {
        border: none;
        padding: 0;
      }
    `,
  ];
  @property({ attribute: false }) m!: AppMessages;
  @property() label = '';
  @state() private running = false;
  @state() private error = '';
  @query('video') private video?: HTMLVideoElement;
  private stream: MediaStream | undefined;
  private frame = 0;

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.stop();
  }

  private emit(text: string) {
    this.dispatchEvent(new CustomEvent('vf-scanned', { detail: { text }, bubbles: true, composed: true }));
  }

  private async start() {
    this.error = '';
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch (err) {
      this.error = fill(this.m.cameraUnavailable, { reason: (err as Error).name || String(err) });
      return;
    }
    this.running = true;
    await this.updateComplete;
    const video = this.video!;
    video.srcObject = this.stream;
    await video.play().catch(() => undefined);
    const tick = async () => {
      if (!this.running) return;
      const text = await decodeVideoFrame(video);
      if (text) {
        this.stop();
        this.emit(text);
      } else this.frame = requestAnimationFrame(() => void tick());
    };
    void tick();
  }

  stop() {
    this.running = false;
    cancelAnimationFrame(this.frame);
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = undefined;
  }

  private async picked(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    this.error = '';
    if (!file) return;
    const text = await decodeFile(file).catch(() => undefined);
    input.value = '';
    if (text) this.emit(text);
    else this.error = this.m.noQr;
  }

  override render() {
    const m = this.m;
    return html`<div>
      ${
        this.running
          ? html`<video muted playsinline aria-label=${m.scanCamera}></video><br /><button type="button" class="secondary" @click=${this.stop}>${m.stopCamera}</button>`
          : html`<button type="button" @click=${this.start}>${this.label || m.scanCamera}</button>`
      }
      <label for="qr-file">${m.scanImage}</label>
      <input id="qr-file" type="file" accept="image/*" @change=${this.picked} />
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-scanner': VfScanner;
  }
}
