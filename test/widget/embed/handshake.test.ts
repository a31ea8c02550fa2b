/// <reference types="mocha" />
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { createVeriframe, INPUT_NAME } from '../../../widget/src/embed/loader.js';
import { connected, fakeOf, fakePage, frameIn, spy } from './helpers.js';

const opts = { resource: 'res-1', nonce: 'nonce_1' };
const inForm = () => fixture<HTMLFormElement>(html`<form><div class="slot"></div></form>`);
const slotOf = (form: HTMLFormElement) => form.querySelector('.slot')!;
const tokenInputs = (root: ParentNode) => root.querySelectorAll<HTMLInputElement>(`input[name="${INPUT_NAME}"]`);

describe('embed loader: iframe and handshake', () => {
  it('creates the iframe with the Veriframe URL, a localized title and the allow list', async () => {
    const api = createVeriframe('https://vf.example');
    const el = await fixture(html`<div></div>`);
    const id = api.render(el, { ...opts, lang: 'fr', theme: 'dark', size: 'compact' })!;
    const frame = frameIn(el);
    const src = new URL(frame.src);
    api.remove(id);

    expect(id).to.match(/^[0-9a-f]{32}$/);
    expect(src.origin + src.pathname).to.equal('https://vf.example/widget/res-1');
    expect(Object.fromEntries(src.searchParams)).to.deep.equal({ origin: location.origin, instance: id, lang: 'fr', theme: 'dark', size: 'compact' });
    expect(frame.title).to.equal('Connexion sécurisée');
    expect(frame.getAttribute('allow')).to.equal('publickey-credentials-get; otp-credentials');
    expect(frame.referrerPolicy).to.equal('no-referrer');
    expect(frame.style.width).to.equal('100%');
    expect(frame.style.borderStyle).to.equal('none');
  });

  it('localizes the title for each language and resolves "auto" from navigator.language', async () => {
    const api = createVeriframe('https://vf.example');
    const el = await fixture(html`<div></div>`);
    const titleFor = (lang: string | undefined) => {
      const id = api.render(el, { ...opts, lang } as never)!;
      const frame = frameIn(el);
      const result = [frame.title, new URL(frame.src).searchParams.get('lang')];
      api.remove(id);
      return result;
    };
    expect(titleFor('de')).to.deep.equal(['Sichere Anmeldung', 'de']);
    expect(titleFor('uk')).to.deep.equal(['Безпечний вхід', 'uk']);
    expect(titleFor('ru')).to.deep.equal(['Безопасный вход', 'ru']);
    expect(titleFor('es')).to.deep.equal(['Inicio de sesión seguro', 'es']);
    expect(titleFor('en')).to.deep.equal(['Secure sign-in', 'en']);

    const language = (value: string) => Object.defineProperty(navigator, 'language', { value, configurable: true });
    try {
      language('fr-CA');
      expect(titleFor('auto')).to.deep.equal(['Connexion sécurisée', 'fr']);
      language('uk');
      expect(titleFor(undefined)).to.deep.equal(['Безпечний вхід', 'uk']);
      language('pt-BR');
      expect(titleFor('auto')).to.deep.equal(['Secure sign-in', 'en']);
    } finally {
      delete (navigator as unknown as Record<string, unknown>).language;
    }
  });

  it('posts the hello to the Veriframe origin with the instance, the nonce and one port', async () => {
    const api = createVeriframe(location.origin, fakePage);
    const el = await fixture(html`<div></div>`);
    const id = api.render(el, opts)!;
    const fake = await connected(frameIn(el));
    expect(fake.hellos).to.deep.equal([{ data: { v: 1, type: 'veriframe:hello', instance: id, nonce: 'nonce_1' }, origin: location.origin }]);
    expect(fake.others).to.deep.equal([]);
    api.remove(id);
  });

  it('accepts element ids', async () => {
    const api = createVeriframe(location.origin, fakePage);
    const el = await fixture(html`<div id="vf-by-id"></div>`);
    const id = api.render('vf-by-id', opts)!;
    expect(frameIn(el)).to.exist;
    api.remove(id);
  });

  it('hands nothing to a frame that is not on the Veriframe origin, and so accepts nothing', async () => {
    // The loader believes Veriframe lives elsewhere; the frame it gets is on this origin, as an
    // attacker's page would be. The browser must drop the hello (exact targetOrigin).
    const api = createVeriframe('http://127.0.0.2:9', fakePage);
    const onSuccess = spy<[string]>();
    const form = await inForm();
    const id = api.render(slotOf(form), { ...opts, onSuccess })!;
    const frame = frameIn(form);
    await oneEvent(frame, 'load');
    // The loader posted its hello on that load (its listener ran first); a message posted after
    // it by the same window arrives after it, so once this one is in, the hello would be too.
    frame.contentWindow!.postMessage('after the hello', '*');
    const fake = fakeOf(frame)!;
    await waitUntil(() => fake.others.includes('after the hello'), 'the later message should arrive');
    expect(fake.hellos).to.deep.equal([]);
    expect(fake.port).to.equal(null);
    // What such a frame can still do: post to the parent window. It must be ignored.
    frame.contentWindow!.parent.postMessage({ v: 1, type: 'result', token: 'a.b.c' }, '*');
    await oneEvent(window, 'message');
    expect(onSuccess.calls).to.deep.equal([]);
    expect(api.getResponse(id)).to.equal('');
    expect(tokenInputs(form)[0]!.value).to.equal('');
  });

  it('ignores forged results posted to the page window, from the page or from the frame', async () => {
    const api = createVeriframe(location.origin, fakePage);
    const onSuccess = spy<[string]>();
    const form = await inForm();
    const id = api.render(slotOf(form), { ...opts, onSuccess })!;
    const frame = frameIn(form);
    const fake = await connected(frame);
    window.postMessage({ v: 1, type: 'result', token: 'a.b.c' }, '*');
    await oneEvent(window, 'message');
    frame.contentWindow!.parent.postMessage({ v: 1, type: 'result', token: 'a.b.c' }, '*');
    await oneEvent(window, 'message');
    // Something the loader does act on, sent after the forgeries: once it shows, they were seen.
    fake.send({ v: 1, type: 'resize', height: 123 });
    await waitUntil(() => frame.style.height === '123px');
    expect(onSuccess.calls).to.deep.equal([]);
    expect(api.getResponse(id)).to.equal('');
    expect(tokenInputs(form)[0]!.value).to.equal('');
    api.remove(id);
  });

  it('ignores malformed messages on the port', async () => {
    const api = createVeriframe(location.origin, fakePage);
    const onSuccess = spy<[string]>();
    const onError = spy<[string]>();
    const el = await fixture(html`<div></div>`);
    const id = api.render(el, { ...opts, onSuccess, onError })!;
    const frame = frameIn(el);
    const fake = await connected(frame);
    for (const bad of [
      { v: 2, type: 'result', token: 'a.b.c' },
      { v: 1, type: 'result', token: 'not a jwt' },
      { v: 1, type: 'result', token: 'a.b.c', extra: 1 },
      { v: 1, type: 'error', code: 'nonsense' },
      { v: 1, type: 'resize', height: 1e6 },
      { v: 1, type: 'resize', height: '50' },
      { v: 1, type: 'veriframe:hello' },
      'result',
      null,
    ])
      fake.send(bad);
    fake.send({ v: 1, type: 'resize', height: 123 });
    await waitUntil(() => frame.style.height === '123px');
    expect(onSuccess.calls).to.deep.equal([]);
    expect(onError.calls).to.deep.equal([]);
    expect(api.getResponse(id)).to.equal('');
    api.remove(id);
  });

  it('handshakes again when the frame reloads, closing the old port', async () => {
    const api = createVeriframe(location.origin, fakePage);
    const onSuccess = spy<[string]>();
    const form = await inForm();
    const id = api.render(slotOf(form), { ...opts, onSuccess })!;
    const frame = frameIn(form);
    const first = await connected(frame);
    first.send({ v: 1, type: 'result', token: 'x.y.z' });
    await waitUntil(() => api.getResponse(id) === 'x.y.z');

    const closed: MessagePort[] = [];
    const close = MessagePort.prototype.close;
    MessagePort.prototype.close = function (this: MessagePort) {
      closed.push(this);
      close.call(this);
    };
    try {
      frame.contentWindow!.location.reload();
      await oneEvent(frame, 'load');
      const second = await connected(frame);
      expect(second).to.not.equal(first);
      expect(second.hellos[0]!.data.instance).to.equal(id);
      expect(closed).to.have.length(1);
      // A new frame document means a new login: the old result is void.
      expect(api.getResponse(id)).to.equal('');
      expect(tokenInputs(form)[0]!.value).to.equal('');
      second.send({ v: 1, type: 'result', token: 'n.e.w' });
      await waitUntil(() => api.getResponse(id) === 'n.e.w');
      expect(onSuccess.calls).to.deep.equal([['x.y.z'], ['n.e.w']]);
    } finally {
      MessagePort.prototype.close = close;
    }
    api.remove(id);
  });
});
