import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { widgetLanguages, type WidgetLanguage } from '../../../shared/protocol.js';
import { languageNames } from '../i18n/index.js';
import { base } from './styles.js';

/**
 * The footer's language switcher: a native <select> (keyboard and screen readers know it), each
 * option named in its own language and marked with `lang` so it is pronounced right.
 *
 * @fires vf-lang - when another language is chosen; detail `{lang}`.
 */
@customElement('vf-lang-select')
export class VfLangSelect extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: flex;
        align-items: center;
        justify-content: flex-end;
        gap: 0.5rem;
      }
      label {
        margin: 0;
        font-weight: 400;
        color: var(--vf-muted, #59636e);
      }
      select {
        width: auto;
        padding: 0.25rem 0.5rem;
        font-size: 0.875rem;
      }
    `,
  ];

  // Not `lang`: that is HTMLElement's own property.
  @property() value: WidgetLanguage = 'en';
  @property() label = 'Language';

  private change(e: Event): void {
    const lang = (e.target as HTMLSelectElement).value;
    this.dispatchEvent(new CustomEvent('vf-lang', { detail: { lang }, bubbles: true, composed: true }));
  }

  protected override render() {
    return html`<label for="lang">${this.label}</label>
      <select id="lang" @change=${this.change}>
        ${widgetLanguages.map((l) => html`<option value=${l} lang=${l} .selected=${l === this.value}>${languageNames[l]}</option>`)}
      </select>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-lang-select': VfLangSelect;
  }
}
