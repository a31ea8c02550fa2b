import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { renderSVG } from 'uqr';

/**
 * A QR code of `value` (the OCRA challenge), dark on white whatever the theme, since that is what
 * scanners read best. The SVG is generated here from the value; it holds only shapes and
 * fill="black"/"white" (no style attributes, so the page's CSP needs no unsafe-inline).
 */
@customElement('vf-qr')
export class VfQr extends LitElement {
  static override styles = css`
    :host {
      display: block;
      width: 8.5rem;
    }
    div {
      line-height: 0;
    }
    svg {
      display: block;
      width: 100%;
      height: auto;
    }
  `;

  @property() value = '';
  /** Accessible name of the image. */
  @property() label = '';

  private svg = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('value')) this.svg = this.value ? renderSVG(this.value, { border: 2, ecc: 'M' }) : '';
  }

  protected override render() {
    return html`<div role="img" aria-label=${this.label}>${unsafeHTML(this.svg)}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-qr': VfQr;
  }
}
