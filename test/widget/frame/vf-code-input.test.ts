/// <reference types="mocha" />
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../widget/src/frame/vf-code-input.js';
import type { VfCodeInput } from '../../../widget/src/frame/vf-code-input.js';

const parts = (el: VfCodeInput) => {
  const root = el.shadowRoot!;
  return {
    input: root.querySelector('input')!,
    label: root.querySelector('label')!,
    alert: root.querySelector('[role="alert"]')!,
  };
};

// A synthetic paste: the component must take the text from clipboardData itself.
function paste(target: HTMLInputElement, text: string): boolean {
  const clipboardData = new DataTransfer();
  clipboardData.setData('text/plain', text);
  const event = new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true, composed: true });
  return target.dispatchEvent(event);
}

describe('<vf-code-input>', () => {
  it('associates a visible label with a numeric one-time-code input', async () => {
    const el = await fixture<VfCodeInput>(html`<vf-code-input></vf-code-input>`);
    const { input, label } = parts(el);
    expect(label.textContent?.trim()).to.equal('One-time code');
    expect(input.id).to.not.equal('');
    expect(label.htmlFor).to.equal(input.id);
    expect(input.labels?.[0]).to.equal(label);
    expect(input.getAttribute('inputmode')).to.equal('numeric');
    expect(input.getAttribute('autocomplete')).to.equal('one-time-code');
    expect(input.maxLength).to.equal(6);

    el.label = 'Code from your app';
    await el.updateComplete;
    expect(input.labels?.[0]?.textContent?.trim()).to.equal('Code from your app');
  });

  it('focus() focuses the inner input and typed non-digits are dropped', async () => {
    const el = await fixture<VfCodeInput>(html`<vf-code-input></vf-code-input>`);
    const { input } = parts(el);
    el.focus();
    expect(el.shadowRoot!.activeElement).to.equal(input);

    await sendKeys({ type: '1a2 b-3' });
    expect(input.value).to.equal('123');
    expect(el.value).to.equal('123');
  });

  it('fires vf-code-complete when the last digit is typed', async () => {
    const el = await fixture<VfCodeInput>(html`<vf-code-input></vf-code-input>`);
    let fired = 0;
    el.addEventListener('vf-code-complete', () => fired++);
    el.focus();
    await sendKeys({ type: '12345' });
    expect(fired).to.equal(0);

    const done = oneEvent(el, 'vf-code-complete');
    await sendKeys({ type: '6' });
    const event = await done;
    expect(event.detail).to.deep.equal({ code: '123456' });
    expect(fired).to.equal(1);
  });

  it('keeps only the digits of a pasted "123 456" and reports the complete code', async () => {
    const el = await fixture<VfCodeInput>(html`<vf-code-input></vf-code-input>`);
    const { input } = parts(el);
    // Listening on document proves the event bubbles out of the element's tree.
    const done = oneEvent(document, 'vf-code-complete');
    const notCancelled = paste(input, '123 456');
    const event = (await done) as CustomEvent<{ code: string }>;

    expect(notCancelled).to.equal(false, 'paste default action must be prevented');
    expect(event.detail).to.deep.equal({ code: '123456' });
    expect(event.target).to.equal(el);
    expect(event.composed).to.equal(true);
    expect(el.value).to.equal('123456');
    expect(input.value).to.equal('123456');
  });

  it('accepts a dashed paste, and clear() empties the field so the code can be entered again', async () => {
    const el = await fixture<VfCodeInput>(html`<vf-code-input></vf-code-input>`);
    const { input } = parts(el);
    paste(input, '123-456');
    expect(el.value).to.equal('123456');

    el.clear();
    await el.updateComplete;
    expect(el.value).to.equal('');
    expect(input.value).to.equal('');

    const done = oneEvent(el, 'vf-code-complete');
    paste(input, ' 654-321 ');
    expect((await done).detail).to.deep.equal({ code: '654321' });
  });

  it('supports 8-digit codes', async () => {
    const el = await fixture<VfCodeInput>(html`<vf-code-input digits="8"></vf-code-input>`);
    const { input } = parts(el);
    expect(input.maxLength).to.equal(8);

    let completed: string | undefined;
    el.addEventListener('vf-code-complete', (e) => (completed = e.detail.code));
    paste(input, '1234 567');
    expect(el.value).to.equal('1234567');
    expect(completed).to.equal(undefined);

    el.clear();
    paste(input, '1234-5678-9');
    expect(el.value).to.equal('12345678');
    expect(completed).to.equal('12345678');
  });

  it('renders the error in an alert region and marks the input invalid', async () => {
    const el = await fixture<VfCodeInput>(html`<vf-code-input></vf-code-input>`);
    const { input, alert } = parts(el);
    expect(input.getAttribute('aria-invalid')).to.equal('false');
    expect(input.hasAttribute('aria-describedby')).to.equal(false);
    expect(alert.textContent?.trim()).to.equal('');

    el.invalid = true;
    el.errorMessage = 'That code is not valid.';
    await el.updateComplete;
    // The same region node must persist so assistive tech announces the text change.
    expect(parts(el).alert).to.equal(alert);
    expect(alert.textContent?.trim()).to.equal('That code is not valid.');
    expect(alert.getAttribute('aria-live')).to.equal('assertive');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(input.getAttribute('aria-describedby')).to.equal(alert.id);
  });

  it('takes OCRA lengths from 4 to 10 digits, anything else as 6', async () => {
    const el = await fixture<VfCodeInput>(html`<vf-code-input digits="10"></vf-code-input>`);
    expect(parts(el).input.maxLength).to.equal(10);
    el.digits = 3;
    await el.updateComplete;
    expect(parts(el).input.maxLength).to.equal(6);
  });

  it('takes a PIN with the code (extra-digits): longer field, no auto-complete event', async () => {
    const el = await fixture<VfCodeInput>(html`<vf-code-input extra-digits="8"></vf-code-input>`);
    const { input } = parts(el);
    expect(input.maxLength).to.equal(14);
    let fired = 0;
    el.addEventListener('vf-code-complete', () => fired++);
    paste(input, '1234 567890');
    expect(el.value).to.equal('1234567890');
    paste(input, '9999999999');
    expect(el.value.length).to.equal(14);
    expect(fired).to.equal(0);
  });

  it('shows a hint that the input is described by, together with the error', async () => {
    const el = await fixture<VfCodeInput>(html`<vf-code-input hint="PIN first, then the code."></vf-code-input>`);
    const { input } = parts(el);
    const hint = el.shadowRoot!.querySelector('#hint')!;
    expect(hint.textContent).to.equal('PIN first, then the code.');
    expect(input.getAttribute('aria-describedby')).to.equal('hint');
    el.invalid = true;
    el.errorMessage = 'Enter the code.';
    await el.updateComplete;
    expect(input.getAttribute('aria-describedby')).to.equal('hint error');
    await expect(el).to.be.accessible();
  });

  it('disables the input', async () => {
    const el = await fixture<VfCodeInput>(html`<vf-code-input disabled></vf-code-input>`);
    expect(parts(el).input.disabled).to.equal(true);
  });

  it('passes axe, both empty and showing an error', async () => {
    const el = await fixture<VfCodeInput>(html`<vf-code-input></vf-code-input>`);
    await expect(el).to.be.accessible();

    const invalid = await fixture<VfCodeInput>(html`<vf-code-input invalid error-message="That code is not valid."></vf-code-input>`);
    await expect(invalid).to.be.accessible();
  });
});
