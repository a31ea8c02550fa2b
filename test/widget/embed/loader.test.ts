/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { createVeriframe, INPUT_NAME } from '../../../widget/src/embed/loader.js';
import { connected, fakePage, frameIn, spy } from './helpers.js';

const opts = { resource: 'res-1', nonce: 'nonce_1' };
const inForm = () => fixture<HTMLFormElement>(html`<form><div class="slot"></div></form>`);
const slotOf = (form: HTMLFormElement) => form.querySelector('.slot')!;
const tokenInputs = (root: ParentNode) => root.querySelectorAll<HTMLInputElement>(`input[name="${INPUT_NAME}"]`);

describe('embed loader: results and the hidden input', () => {
  it('fills one hidden input in the enclosing form on result and calls onSuccess', async () => {
    const api = createVeriframe(location.origin, fakePage);
    const onSuccess = spy<[string]>();
    const form = await inForm();
    const id = api.render(slotOf(form), { ...opts, onSuccess })!;
    const inputs = tokenInputs(form);
    expect(inputs).to.have.length(1);
    expect(inputs[0]!.type).to.equal('hidden');
    expect(inputs[0]!.form).to.equal(form);
    expect(inputs[0]!.value).to.equal('');
    expect(api.getResponse(id)).to.equal('');

    const fake = await connected(frameIn(form));
    fake.send({ v: 1, type: 'result', token: 'eyJh.eyJz.c2ln' });
    await waitUntil(() => onSuccess.calls.length === 1);
    expect(onSuccess.calls).to.deep.equal([['eyJh.eyJz.c2ln']]);
    expect(inputs[0]!.value).to.equal('eyJh.eyJz.c2ln');
    expect(api.getResponse(id)).to.equal('eyJh.eyJz.c2ln');
    expect(new FormData(form).get('veriframe-token')).to.equal('eyJh.eyJz.c2ln');
    api.remove(id);
  });

  it('injects no input outside a form, and still reports the result', async () => {
    const api = createVeriframe(location.origin, fakePage);
    const onSuccess = spy<[string]>();
    const el = await fixture(html`<div></div>`);
    const id = api.render(el, { ...opts, onSuccess })!;
    expect(el.querySelectorAll('input')).to.have.length(0);
    (await connected(frameIn(el))).send({ v: 1, type: 'result', token: 'a.b.c' });
    await waitUntil(() => api.getResponse(id) === 'a.b.c');
    expect(onSuccess.calls).to.deep.equal([['a.b.c']]);
    api.remove(id);
  });

  it('reset clears the input and the response and tells the frame', async () => {
    const api = createVeriframe(location.origin, fakePage);
    const form = await inForm();
    const id = api.render(slotOf(form), opts)!;
    const fake = await connected(frameIn(form));
    fake.send({ v: 1, type: 'result', token: 'a.b.c' });
    await waitUntil(() => api.getResponse(id) === 'a.b.c');
    api.reset(id);
    expect(api.getResponse(id)).to.equal('');
    expect(tokenInputs(form)[0]!.value).to.equal('');
    await waitUntil(() => fake.received.length === 1);
    expect(fake.received).to.deep.equal([{ v: 1, type: 'reset' }]);
    api.remove(id);
  });

  it('expired clears the input and calls onExpire', async () => {
    const api = createVeriframe(location.origin, fakePage);
    const onExpire = spy<[]>();
    const form = await inForm();
    const id = api.render(slotOf(form), { ...opts, onExpire })!;
    const fake = await connected(frameIn(form));
    fake.send({ v: 1, type: 'result', token: 'a.b.c' });
    fake.send({ v: 1, type: 'expired' });
    await waitUntil(() => onExpire.calls.length === 1);
    expect(onExpire.calls).to.deep.equal([[]]);
    expect(api.getResponse(id)).to.equal('');
    expect(tokenInputs(form)[0]!.value).to.equal('');
    api.remove(id);
  });

  it('error calls onError with the code', async () => {
    const api = createVeriframe(location.origin, fakePage);
    const onError = spy<[string]>();
    const el = await fixture(html`<div></div>`);
    const id = api.render(el, { ...opts, onError })!;
    const fake = await connected(frameIn(el));
    fake.send({ v: 1, type: 'error', code: 'locked' });
    fake.send({ v: 1, type: 'error', code: 'origin_not_allowed' });
    await waitUntil(() => onError.calls.length === 2);
    expect(onError.calls).to.deep.equal([['locked'], ['origin_not_allowed']]);
    api.remove(id);
  });

  it('resize sets the iframe height', async () => {
    const api = createVeriframe(location.origin, fakePage);
    const el = await fixture(html`<div></div>`);
    const id = api.render(el, opts)!;
    const frame = frameIn(el);
    const fake = await connected(frame);
    fake.send({ v: 1, type: 'resize', height: 312 });
    await waitUntil(() => frame.style.height === '312px');
    expect(frame.getBoundingClientRect().height).to.equal(312);
    fake.send({ v: 1, type: 'resize', height: 0 });
    await waitUntil(() => frame.style.height === '0px');
    api.remove(id);
  });
});

describe('embed loader: several widgets, remove and re-render', () => {
  it('keeps two widgets on one page independent', async () => {
    const api = createVeriframe(location.origin, fakePage);
    const a = spy<[string]>();
    const b = spy<[string]>();
    const form = await fixture<HTMLFormElement>(html`<form><div id="a"></div><div id="b"></div></form>`);
    const idA = api.render(form.querySelector('#a')!, { ...opts, onSuccess: a })!;
    const idB = api.render(form.querySelector('#b')!, { resource: 'res-2', nonce: 'nonce_2', onSuccess: b })!;
    expect(idA).to.not.equal(idB);
    const fakeA = await connected(frameIn(form.querySelector('#a')!));
    const fakeB = await connected(frameIn(form.querySelector('#b')!));
    expect(fakeA.hellos[0]!.data).to.include({ instance: idA, nonce: 'nonce_1' });
    expect(fakeB.hellos[0]!.data).to.include({ instance: idB, nonce: 'nonce_2' });

    fakeA.send({ v: 1, type: 'result', token: 'a.a.a' });
    await waitUntil(() => a.calls.length === 1);
    fakeB.send({ v: 1, type: 'resize', height: 77 });
    await waitUntil(() => frameIn(form.querySelector('#b')!).style.height === '77px');
    expect(b.calls).to.deep.equal([]);
    expect(api.getResponse(idA)).to.equal('a.a.a');
    expect(api.getResponse(idB)).to.equal('');
    expect(form.querySelector<HTMLInputElement>('#a input')!.value).to.equal('a.a.a');
    expect(form.querySelector<HTMLInputElement>('#b input')!.value).to.equal('');
    expect(frameIn(form.querySelector('#a')!).style.height).to.not.equal('77px');

    api.reset(idB);
    await waitUntil(() => fakeB.received.length === 1);
    expect(fakeA.received).to.deep.equal([]);
    expect(api.getResponse(idA)).to.equal('a.a.a');
    api.remove(idA);
    api.remove(idB);
  });

  it('remove takes away the iframe and the input, and is idempotent', async () => {
    const api = createVeriframe(location.origin, fakePage);
    const form = await inForm();
    const slot = slotOf(form);
    const id = api.render(slot, opts)!;
    await connected(frameIn(form));
    api.remove(id);
    expect(slot.children).to.have.length(0);
    expect(tokenInputs(form)).to.have.length(0);
    expect(api.getResponse(id)).to.equal('');
    api.remove(id);
    api.remove('nope');
    api.reset(id);
    expect(slot.children).to.have.length(0);
  });

  it('render → remove → render on one element (StrictMode double mount) leaves one live widget', async () => {
    const api = createVeriframe(location.origin, fakePage);
    const first = spy<[string]>();
    const second = spy<[string]>();
    const form = await inForm();
    const slot = slotOf(form);
    const id1 = api.render(slot, { ...opts, onSuccess: first })!;
    api.remove(id1);
    const id2 = api.render(slot, { ...opts, onSuccess: second })!;
    expect(slot.querySelectorAll('iframe')).to.have.length(1);
    expect(tokenInputs(form)).to.have.length(1);

    const fake = await connected(frameIn(slot));
    expect(fake.hellos.map((h) => h.data.instance)).to.deep.equal([id2]);
    fake.send({ v: 1, type: 'result', token: 'a.b.c' });
    await waitUntil(() => second.calls.length === 1);
    expect(first.calls).to.deep.equal([]);
    expect(api.getResponse(id1)).to.equal('');
    expect(tokenInputs(form)[0]!.value).to.equal('a.b.c');

    // Also after the first widget was connected: its port is closed and its callbacks are dead.
    api.remove(id2);
    const id3 = api.render(slot, { ...opts, onSuccess: first })!;
    const fake3 = await connected(frameIn(slot));
    fake3.send({ v: 1, type: 'result', token: 'd.e.f' });
    await waitUntil(() => first.calls.length === 1);
    expect(second.calls).to.have.length(1);
    expect(slot.querySelectorAll('iframe')).to.have.length(1);
    expect(tokenInputs(form)).to.have.length(1);
    api.remove(id3);
  });

  it('a second render into the same element replaces the first widget', async () => {
    const api = createVeriframe(location.origin, fakePage);
    const form = await inForm();
    const slot = slotOf(form);
    const id1 = api.render(slot, opts)!;
    const id2 = api.render(slot, opts)!;
    expect(id2).to.not.equal(id1);
    expect(slot.querySelectorAll('iframe')).to.have.length(1);
    expect(tokenInputs(form)).to.have.length(1);
    expect(new URL(frameIn(slot).src).searchParams.get('instance')).to.equal(id2);
    api.remove(id1);
    expect(slot.querySelectorAll('iframe')).to.have.length(1);
    api.remove(id2);
  });
});
