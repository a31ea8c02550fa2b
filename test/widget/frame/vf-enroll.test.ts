/// <reference types="mocha" />
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../../widget/src/frame/vf-enroll.js';
import type { VfEnroll } from '../../../widget/src/frame/vf-enroll.js';
import { loadMessages, translator } from '../../../widget/src/i18n/index.js';

describe('<vf-enroll>', function () {
  this.timeout(10_000);
  it('offers the allowed kinds, tells which was chosen, then shows the key and QR code; passes axe', async () => {
    const t = translator('en', await loadMessages('en'));
    const el = await fixture<VfEnroll>(html`<vf-enroll .t=${t} .types=${['totp', 'email']}></vf-enroll>`);
    const buttons = [...el.shadowRoot!.querySelectorAll('button')];
    expect(buttons.map((b) => b.textContent?.trim())).to.deep.equal(['Authenticator app', 'Codes by e-mail']);
    await expect(el).to.be.accessible();
    setTimeout(() => buttons[1]!.click());
    const chosen = (await oneEvent(el, 'vf-enroll-type')) as CustomEvent<{ type: string }>;
    expect(chosen.detail.type).to.equal('email');

    el.enrollment = {
      type: 'totp',
      digits: 6,
      otpauthUri: 'otpauth://totp/Veriframe:alice?secret=JBSWY3DPEHPK3PXP&issuer=Veriframe',
      secret: 'JBSWY3DPEHPK3PXP',
    };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.key')?.textContent).to.equal('JBSWY3DPEHPK3PXP');
    expect(el.shadowRoot!.querySelector('vf-qr')).to.not.equal(null);
    await expect(el).to.be.accessible();

    el.enrollment = { type: 'email', digits: 6, sentTo: 'a…@example.com' };
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.contain('We sent a code to a…@example.com');
  });
});
