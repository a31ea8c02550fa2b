/// <reference types="mocha" />
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../console/src/pages/vf-picker.js';
import '../../console/src/pages/vf-resource-self-service.js';
import '../../console/src/pages/vf-token-confirm.js';
import type { Resource, Token } from '../../console/src/api.js';
import type { VfPicker } from '../../console/src/pages/vf-picker.js';
import type { VfResourceSelfService } from '../../console/src/pages/vf-resource-self-service.js';
import type { VfTokenConfirm } from '../../console/src/pages/vf-token-confirm.js';

const off = <K extends string>(keys: K[]) => Object.fromEntries(keys.map((k) => [k, false])) as Record<K, boolean>;
const resource: Resource = {
  id: '00000000-0000-4000-8000-0000000000aa',
  name: 'Shop',
  active: true,
  allowedOrigins: [],
  failedAttemptsLimit: 5,
  authMethod: 'password+otp',
  selfService: {
    enabled: false,
    address: null,
    allowedActions: {
      token: off(['enroll', 'reissue', 'assignExisting', 'unassign', 'synchronize', 'setPin', 'removePin']),
      user: off(['createPassword', 'changePassword', 'changeEmail', 'changePhone', 'changeLogin', 'changeNames']),
    },
    enrollmentTypes: [],
  },
  enrollOnLogin: false,
  selfServiceUrl: null,
};

/** Replaces fetch for one test; `answer` gives each call's status and body. */
function stubFetch(answer: (url: string, init: RequestInit | undefined) => [number, unknown]) {
  const real = window.fetch;
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  window.fetch = async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init });
    const [status, body] = answer(String(url), init);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { calls, restore: () => (window.fetch = real) };
}

const until = (check: () => boolean) =>
  new Promise<void>((resolve) => {
    const poll = () => (check() ? resolve() : requestAnimationFrame(poll));
    poll();
  });

const box = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;

describe('<vf-resource-self-service>', () => {
  it('turns a whole group on and off with its All toggle and shows a mixed state', async () => {
    const el = await fixture<VfResourceSelfService>(html`<vf-resource-self-service .resource=${resource}></vf-resource-self-service>`);
    box(el, 'ss-token-all').click();
    await el.updateComplete;
    expect(['enroll', 'synchronize', 'removePin'].map((k) => box(el, k).checked)).to.deep.equal([true, true, true]);
    box(el, 'setPin').click();
    await el.updateComplete;
    expect(box(el, 'ss-token-all').checked).to.equal(false);
    expect(box(el, 'ss-token-all').indeterminate).to.equal(true);
    box(el, 'ss-token-all').click();
    await el.updateComplete;
    box(el, 'ss-token-all').click();
    await el.updateComplete;
    expect(box(el, 'enroll').checked).to.equal(false, 'All off clears the group');
    await expect(el).to.be.accessible();
  });

  it('refuses a bad address next to the field without calling the server', async () => {
    const stub = stubFetch(() => [200, resource]);
    try {
      const el = await fixture<VfResourceSelfService>(html`<vf-resource-self-service .resource=${resource}></vf-resource-self-service>`);
      const address = el.shadowRoot!.querySelector<HTMLInputElement>('#ss-address')!;
      address.value = 'No Spaces!';
      address.dispatchEvent(new Event('input'));
      el.shadowRoot!.querySelector('form')!.requestSubmit();
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('#ss-address-error')!.textContent).to.contain('3 to 40 characters');
      expect(address.getAttribute('aria-invalid')).to.equal('true');
      expect(stub.calls.length).to.equal(0);
      await expect(el).to.be.accessible();
    } finally {
      stub.restore();
    }
  });

  it('saves the draft as one PATCH, shows the portal URL and the server field error where it belongs', async () => {
    let taken = true;
    const stub = stubFetch((_url, init) => {
      const body = JSON.parse(String(init!.body)) as { selfService: Resource['selfService']; enrollOnLogin: boolean };
      if (taken)
        return [
          409,
          { error: { code: 'self_service_address_taken', message: 'Another resource uses this self-service address.', field: 'body.selfService.address' } },
        ];
      return [200, { ...resource, ...body, selfServiceUrl: `https://mfa.test/self-service/${body.selfService.address}` }];
    });
    try {
      const el = await fixture<VfResourceSelfService>(html`<vf-resource-self-service .resource=${resource}></vf-resource-self-service>`);
      const address = el.shadowRoot!.querySelector<HTMLInputElement>('#ss-address')!;
      address.value = 'shop';
      address.dispatchEvent(new Event('input'));
      box(el, 'email').click();
      box(el, 'enrollOnLogin').click();
      el.shadowRoot!.querySelector('form')!.requestSubmit();
      await until(() => el.shadowRoot!.querySelector('#ss-address-error') !== null);
      expect(el.shadowRoot!.querySelector('#ss-address-error')!.textContent).to.equal('Another resource uses this self-service address.');
      taken = false;
      setTimeout(() => el.shadowRoot!.querySelector('form')!.requestSubmit());
      const saved = await oneEvent(el, 'resource-saved');
      expect(saved.detail.resource.selfServiceUrl).to.equal('https://mfa.test/self-service/shop');
      const sent = JSON.parse(String(stub.calls[1]!.init!.body));
      expect(stub.calls[1]!.url).to.equal(`/api/v1/resources/${resource.id}`);
      expect(stub.calls[1]!.init!.method).to.equal('PATCH');
      expect(sent.selfService.address).to.equal('shop');
      expect(sent.selfService.enrollmentTypes).to.deep.equal(['email']);
      expect(sent.enrollOnLogin).to.equal(true);
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[role=status]')!.textContent).to.equal('Self-service settings saved.');
      expect(el.shadowRoot!.querySelector('a[data-portal-url]')!.textContent).to.equal('https://mfa.test/self-service/shop');
    } finally {
      stub.restore();
    }
  });
});

describe('<vf-picker>', () => {
  it('searches on the server and reports the item the administrator chose, none before', async () => {
    const items = [
      { id: 'r1', name: 'Alpha shop' },
      { id: 'r2', name: 'Beta shop' },
    ];
    const stub = stubFetch(() => [200, { items, total: 2 }]);
    try {
      const el = await fixture<VfPicker>(html`<vf-picker path="resources" label="Resource" .describe=${(i: { name: unknown }) => String(i.name)}></vf-picker>`);
      await until(() => el.shadowRoot!.querySelectorAll('option').length === 3);
      expect(el.value).to.equal(undefined, 'nothing chosen by itself');
      const find = el.shadowRoot!.querySelector<HTMLInputElement>('#find')!;
      find.value = 'Beta';
      setTimeout(() => find.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' })));
      // A new search clears the choice: the matches changed.
      expect((await oneEvent(el, 'pick-change')).detail.item).to.equal(undefined);
      expect(stub.calls[1]!.url).to.equal('/api/v1/resources?search=Beta&limit=20');
      await el.updateComplete;
      const select = el.shadowRoot!.querySelector<HTMLSelectElement>('#choice')!;
      select.value = 'r2';
      setTimeout(() => select.dispatchEvent(new Event('change')));
      expect((await oneEvent(el, 'pick-change')).detail.item).to.deep.equal(items[1]);
      expect(el.value?.id).to.equal('r2');
      await expect(el).to.be.accessible();
    } finally {
      stub.restore();
    }
  });

  it('keeps the matches of the latest search and a choice made while it ran', async () => {
    const alpha = { id: 'r1', name: 'Alpha shop' };
    const beta = { id: 'r2', name: 'Beta shop' };
    // Every answer waits until the test lets it go, so their order is the test's.
    const held: { url: string; answer(items: unknown[]): void }[] = [];
    const real = window.fetch;
    window.fetch = (url: RequestInfo | URL) =>
      new Promise<Response>((resolve) => {
        held.push({
          url: String(url),
          answer: (items) => resolve(new Response(JSON.stringify({ items, total: items.length }), { headers: { 'content-type': 'application/json' } })),
        });
      });
    try {
      const el = await fixture<VfPicker>(html`<vf-picker path="resources" label="Resource" .describe=${(i: { name: unknown }) => String(i.name)}></vf-picker>`);
      const options = () => [...el.shadowRoot!.querySelectorAll('option')].map((o) => o.textContent);
      await until(() => held.length === 1);
      const find = el.shadowRoot!.querySelector<HTMLInputElement>('#find')!;
      find.value = 'Beta';
      find.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
      await until(() => held.length === 2);
      // The typed search answers first, the first (empty) one late: its matches are not shown.
      held[1]!.answer([beta]);
      await until(() => options().length === 2);
      held[0]!.answer([alpha, beta]);
      await el.updateComplete;
      await new Promise((r) => requestAnimationFrame(r));
      expect(options()).to.deep.equal(['— choose —', 'Beta shop']);

      // The administrator picks Beta while a new search for "shop" is on its way.
      const select = el.shadowRoot!.querySelector<HTMLSelectElement>('#choice')!;
      select.value = 'r2';
      select.dispatchEvent(new Event('change'));
      expect(el.value?.id).to.equal('r2');
      find.value = 'shop';
      find.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
      await until(() => held.length === 3);
      setTimeout(() => held[2]!.answer([alpha, beta]));
      expect((await oneEvent(el, 'pick-change')).detail.item).to.deep.equal(beta, 'still in the matches: kept');
      await el.updateComplete;
      expect(select.value).to.equal('r2');

      // A search whose matches do not hold the choice clears it.
      find.value = 'Alpha';
      find.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
      await until(() => held.length === 4);
      setTimeout(() => held[3]!.answer([alpha]));
      expect((await oneEvent(el, 'pick-change')).detail.item).to.equal(undefined);
      expect(el.value).to.equal(undefined);
    } finally {
      window.fetch = real;
    }
  });
});

describe('<vf-token-confirm>', () => {
  const token = { id: '00000000-0000-4000-8000-0000000000bb', name: 'Mail', type: 'email' } as Token;

  it('sends a code at once for a sent-code token, then confirms with the typed code', async () => {
    const stub = stubFetch((url) => (url.endsWith('/confirmation') ? [200, { sentTo: 'm…@example.test', expiresAt: '' }] : [200, { ...token, active: true }]));
    try {
      const el = await fixture<VfTokenConfirm>(html`<vf-token-confirm .token=${token} how="sent"></vf-token-confirm>`);
      await until(() => el.shadowRoot!.textContent!.includes('A code was sent to m…@example.test.'));
      const otp = el.shadowRoot!.querySelector<HTMLInputElement>('#otp')!;
      otp.value = '12ab';
      el.shadowRoot!.querySelector('form')!.requestSubmit();
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('#otp-error')!.textContent).to.equal('Enter the code: digits only.');
      otp.value = '123456';
      setTimeout(() => el.shadowRoot!.querySelector('form')!.requestSubmit());
      expect((await oneEvent(el, 'token-confirmed')).detail.token.active).to.equal(true);
      expect(stub.calls.map((c) => c.url)).to.deep.equal([`/api/v1/tokens/${token.id}/confirmation`, `/api/v1/tokens/${token.id}/confirm`]);
      expect(JSON.parse(String(stub.calls[1]!.init!.body))).to.deep.equal({ otp: '123456' });
      await expect(el).to.be.accessible();
    } finally {
      stub.restore();
    }
  });
});
