/// <reference types="mocha" />
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../console/src/pages/vf-active-menu.js';
import '../../console/src/pages/vf-pager.js';
import '../../console/src/pages/vf-token-import.js';
import type { VfActiveMenu } from '../../console/src/pages/vf-active-menu.js';
import type { VfPager } from '../../console/src/pages/vf-pager.js';
import type { VfTokenImport } from '../../console/src/pages/vf-token-import.js';
import type { Token } from '../../console/src/api.js';

const token: Token = {
  id: '00000000-0000-4000-8000-000000000001',
  kind: 'software',
  type: 'totp',
  name: 'Phone',
  serialNumber: null,
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
  hasPin: false,
  pinPosition: 'before',
  active: true,
  userId: null,
  failedAttempts: 0,
  locked: false,
  bypass: { permanent: false, until: null },
  lastUsedAt: null,
  createdAt: '2026-12-05T10:00:00Z',
};

/** Replaces fetch for one test with an answer for every call. */
function answerWith(status: number, body: unknown) {
  const real = window.fetch;
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  window.fetch = async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { calls, restore: () => (window.fetch = real) };
}

describe('<vf-active-menu>', () => {
  it('opens a menu and fires active-action with the 8 h bypass', async () => {
    const el = await fixture<VfActiveMenu>(html`<vf-active-menu .token=${token}></vf-active-menu>`);
    const toggle = el.shadowRoot!.querySelector('button')!;
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    toggle.click();
    await el.updateComplete;
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    const eight = [...el.shadowRoot!.querySelectorAll('li button')].find((b) => b.textContent?.trim() === 'Bypass 8 h') as HTMLButtonElement;
    setTimeout(() => eight.click());
    const ev = await oneEvent(el, 'active-action');
    expect(ev.detail).to.deep.equal({ tokenId: token.id, action: { bypassHours: 8 } });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('li').length).to.equal(0, 'closed after a choice');
    await expect(el).to.be.accessible();
  });
});

describe('<vf-pager>', () => {
  it('pages forward and back and disables what cannot be done', async () => {
    const el = await fixture<VfPager>(html`<vf-pager .start=${0} .limit=${20} .total=${45}></vf-pager>`);
    const [prev, next] = el.shadowRoot!.querySelectorAll('button');
    expect(prev!.disabled).to.equal(true);
    expect(el.shadowRoot!.textContent).to.contain('1–20 of 45');
    setTimeout(() => next!.click());
    expect((await oneEvent(el, 'page-change')).detail).to.deep.equal({ start: 20 });
  });
});

describe('<vf-token-import>', () => {
  it('lists every bad line with its number and reason, next to the form', async () => {
    const stub = answerWith(422, {
      error: {
        code: 'import_invalid',
        message: '1 line(s) are invalid; nothing was imported.',
        details: { lines: [{ line: 3, reason: 'secret is not valid base32 (A-Z, 2-7)' }], total: 1 },
      },
    });
    try {
      const el = await fixture<VfTokenImport>(html`<vf-token-import></vf-token-import>`);
      const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type=file]')!;
      const dt = new DataTransfer();
      dt.items.add(new File(['a,b\n'], 'tokens.csv', { type: 'text/csv' }));
      input.files = dt.files;
      el.shadowRoot!.querySelector<HTMLSelectElement>('#encoding')!.value = 'hex';
      el.shadowRoot!.querySelector('form')!.requestSubmit();
      await new Promise<void>((resolve) => {
        const check = () => (el.shadowRoot!.querySelector('[data-line="3"]') ? resolve() : requestAnimationFrame(check));
        check();
      });
      expect(el.shadowRoot!.querySelector('[data-line="3"]')!.textContent).to.equal('Line 3: secret is not valid base32 (A-Z, 2-7)');
      expect(stub.calls[0]!.url).to.contain('encoding=hex');
      expect((stub.calls[0]!.init!.headers as Record<string, string>)['content-type']).to.equal('text/csv');
      await expect(el).to.be.accessible();
    } finally {
      stub.restore();
    }
  });

  it('says so when no file was chosen, without calling the server', async () => {
    const stub = answerWith(200, { imported: 0 });
    try {
      const el = await fixture<VfTokenImport>(html`<vf-token-import></vf-token-import>`);
      el.shadowRoot!.querySelector('form')!.requestSubmit();
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('.error')!.textContent).to.equal('Choose a file first.');
      expect(stub.calls.length).to.equal(0);
    } finally {
      stub.restore();
    }
  });
});
