import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { base } from './styles.js';

export interface Field {
  name: string;
  label: string;
  type?: 'text' | 'password' | 'email' | 'tel';
  autocomplete?: string;
  inputmode?: 'numeric' | 'text';
  value?: string;
}

let counter = 0;

/**
 * One small form of the portal (an action or a sign-in step): labelled fields and a submit
 * button. It knows nothing of the API.
 *
 * @fires vf-form - on submit; detail: the values by field name.
 */
@customElement('vf-portal-form')
export class VfPortalForm extends LitElement {
  static override styles = [
    base,
    css`
      form {
        margin: 0 0 1rem;
      }
    `,
  ];

  @property() heading = '';
  @property({ attribute: false }) fields: Field[] = [];
  @property() submit = '';
  @property({ type: Boolean }) busy = false;
  @property() name = '';
  private uid = `f${++counter}`;

  override focus(): void {
    (this.renderRoot.querySelector('input') ?? this.renderRoot.querySelector('button'))?.focus();
  }

  reset(): void {
    this.renderRoot.querySelector('form')?.reset();
  }

  private onSubmit(e: Event): void {
    e.preventDefault();
    if (this.busy) return;
    const data = new FormData(e.target as HTMLFormElement);
    const values = Object.fromEntries(this.fields.map((f) => [f.name, String(data.get(f.name) ?? '').trim()]));
    this.dispatchEvent(new CustomEvent('vf-form', { detail: values, bubbles: true, composed: true }));
  }

  protected override render() {
    return html`<form novalidate @submit=${this.onSubmit} aria-label=${this.heading || this.submit} data-name=${this.name}>
      ${this.heading ? html`<h2>${this.heading}</h2>` : ''}
      ${this.fields.map(
        (f) => html`<label for=${`${this.uid}-${f.name}`}>${f.label}</label>
          <input id=${`${this.uid}-${f.name}`} name=${f.name} type=${f.type ?? 'text'} autocomplete=${f.autocomplete ?? 'off'} inputmode=${f.inputmode ?? 'text'} .value=${f.value ?? ''} />`,
      )}
      <button type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>${this.submit}</button>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-portal-form': VfPortalForm;
  }
}
