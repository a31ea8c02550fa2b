import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';

export interface VfCodeCompleteDetail {
  code: string;
}

/**
 * One-time code field for the iframe's OTP step. A single native input (not one box per digit)
 * so that platform autofill, password managers and screen readers treat it as one field.
 *
 * @fires vf-code-complete - when the value reaches `digits` characters; detail `{code}`.
 * @cssprop --vf-accent, --vf-text, --vf-bg, --vf-border, --vf-error, --vf-radius, --vf-font
 */
@customElement('vf-code-input')
export class VfCodeInput extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font-family: var(--vf-font, system-ui, sans-serif);
      color: var(--vf-text, #1f2328);
    }
    label { display: block; margin-bottom: 0.375rem; font-size: 0.875rem; font-weight: 600; }
    input {
      box-sizing: border-box;
      width: 100%;
      padding: 0.625rem 0.75rem;
      font: inherit;
      font-size: 1.375rem;
      font-variant-numeric: tabular-nums;
      letter-spacing: 0.3em;
      color: inherit;
      background: var(--vf-bg, #ffffff);
      /* #6e7781 keeps the field's outline above the 3:1 non-text contrast minimum on white. */
      border: 1px solid var(--vf-border, #6e7781);
      border-radius: var(--vf-radius, 6px);
    }
    input:focus-visible {
      outline: 2px solid var(--vf-accent, #0969da);
      outline-offset: 1px;
      border-color: var(--vf-accent, #0969da);
    }
    input[aria-invalid='true'] { border-color: var(--vf-error, #b3261e); }
    input:disabled { opacity: 0.6; cursor: not-allowed; }
    .hint { margin: 0 0 0.375rem; font-size: 0.875rem; color: var(--vf-muted, #59636e); }
    .error { margin: 0.375rem 0 0; font-size: 0.875rem; color: var(--vf-error, #b3261e); }
    .error:empty { margin: 0; }
  `;

  /** Code length: 6 and 8 for TOTP/HOTP, 4-10 for OCRA suites; anything else is treated as 6. */
  @property({ type: Number }) digits = 6;
  @property() label = 'One-time code';
  @property({ type: Boolean, reflect: true }) disabled = false;
  @property({ type: Boolean, reflect: true }) invalid = false;
  @property({ attribute: 'error-message' }) errorMessage = '';
  /** Instructions shown under the label and read with the field. */
  @property() hint = '';
  /**
   * Digits that may come with the code (a PIN typed before or after it, up to this many). The
   * length is then not fixed, so vf-code-complete is not fired: the user submits.
   */
  @property({ type: Number, attribute: 'extra-digits' }) extraDigits = 0;

  @state() private code = '';
  @query('input') private input!: HTMLInputElement | null;

  get value(): string {
    return this.code;
  }

  clear(): void {
    this.code = '';
    if (this.input) this.input.value = '';
  }

  // Forward focus so the host app can focus the field without reaching into the shadow root.
  override focus(options?: FocusOptions): void {
    this.input?.focus(options);
  }

  /** Digits of the code itself (without a PIN). */
  get codeLength(): number {
    return Number.isInteger(this.digits) && this.digits >= 4 && this.digits <= 10 ? this.digits : 6;
  }

  private get maxLength(): number {
    return this.codeLength + Math.max(0, Math.min(this.extraDigits, 16));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('digits') || changed.has('extraDigits')) && this.code.length > this.maxLength) {
      this.code = this.code.slice(0, this.maxLength);
    }
  }

  private setCode(raw: string): void {
    const next = raw.replace(/\D/g, '').slice(0, this.maxLength);
    const input = this.input;
    // Rewrite the field only when filtering changed it, so the caret is not moved needlessly.
    if (input && input.value !== next) input.value = next;
    const changed = next !== this.code;
    this.code = next;
    if (changed && next.length === this.codeLength && this.extraDigits <= 0) {
      this.dispatchEvent(
        new CustomEvent<VfCodeCompleteDetail>('vf-code-complete', {
          detail: { code: next },
          bubbles: true,
          composed: true,
        }),
      );
    }
  }

  private onInput(e: InputEvent): void {
    this.setCode((e.target as HTMLInputElement).value);
  }

  // maxlength would truncate "123 456" to "123 45" before any input event, so paste is
  // handled here: keep only the digits and splice them into the current selection.
  private onPaste(e: ClipboardEvent): void {
    const text = e.clipboardData?.getData('text') ?? '';
    const input = e.target as HTMLInputElement;
    e.preventDefault();
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? start;
    const pasted = text.replace(/\D/g, '');
    this.setCode(input.value.slice(0, start) + pasted + input.value.slice(end));
    const caret = Math.min(start + pasted.length, this.code.length);
    input.setSelectionRange(caret, caret);
  }

  protected override render() {
    const showError = this.invalid && this.errorMessage !== '';
    const describedBy = [this.hint ? 'hint' : '', showError ? 'error' : ''].filter(Boolean).join(' ');
    // The alert region is always rendered: a live region must exist before its text changes
    // for screen readers to announce the change.
    return html`
      <label for="code">${this.label}</label>
      ${this.hint ? html`<p id="hint" class="hint">${this.hint}</p>` : nothing}
      <input
        id="code"
        type="text"
        inputmode="numeric"
        autocomplete="one-time-code"
        spellcheck="false"
        maxlength=${this.maxLength}
        .value=${live(this.code)}
        ?disabled=${this.disabled}
        aria-invalid=${this.invalid ? 'true' : 'false'}
        aria-describedby=${describedBy || nothing}
        @input=${this.onInput}
        @paste=${this.onPaste}
      />
      <p id="error" class="error" role="alert" aria-live="assertive">${showError ? this.errorMessage : nothing}</p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-code-input': VfCodeInput;
  }
  interface HTMLElementEventMap {
    'vf-code-complete': CustomEvent<VfCodeCompleteDetail>;
  }
}
