/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { boot } from '../../../widget/src/embed/boot.js';
import type { Veriframe } from '../../../widget/src/embed/loader.js';
import { connected, fakePage, frameIn, spy, spyErrors } from './helpers.js';

const global = window as unknown as Record<string, unknown>;
const SRC = 'http://vf.test:8787/embed.js';
// With the fake frame (served here) the Veriframe origin must be this test server's.
const LOCAL_SRC = `${location.origin}/dist/widget/embed.js`;

describe('embed loader: start-up from the script URL', () => {
  const globals: string[] = [];
  const setGlobal = (name: string, value: unknown) => {
    globals.push(name);
    global[name] = value;
  };
  afterEach(() => {
    delete global.veriframe;
    for (const name of globals.splice(0)) delete global[name];
  });

  it('renders every .veriframe container and <veriframe-login> element from data attributes', async () => {
    const page = await fixture(html`
      <div>
        <form>
          <div class="veriframe" data-resource="res-a" data-nonce="nonce-a" data-lang="de" data-theme="dark" data-size="compact"></div>
        </form>
        <veriframe-login data-resource="res-b" data-nonce="nonce-b"></veriframe-login>
        <div class="other" data-resource="res-c" data-nonce="nonce-c"></div>
      </div>
    `);
    const api = boot(SRC)!;
    expect(global.veriframe).to.equal(api);
    const a = frameIn(page.querySelector('.veriframe')!);
    const b = frameIn(page.querySelector('veriframe-login')!);
    expect(page.querySelectorAll('iframe')).to.have.length(2);
    const srcA = new URL(a.src);
    const srcB = new URL(b.src);
    expect(srcA.origin + srcA.pathname).to.equal('http://vf.test:8787/widget/res-a');
    expect(srcB.origin + srcB.pathname).to.equal('http://vf.test:8787/widget/res-b');
    expect(srcA.searchParams.get('origin')).to.equal(location.origin);
    expect([srcA.searchParams.get('lang'), srcA.searchParams.get('theme'), srcA.searchParams.get('size')]).to.deep.equal(['de', 'dark', 'compact']);
    expect([srcB.searchParams.get('theme'), srcB.searchParams.get('size')]).to.deep.equal(['auto', 'normal']);
    expect(a.title).to.equal('Sichere Anmeldung');
    expect(page.querySelectorAll('form input[name="veriframe-token"]')).to.have.length(1);
    expect(srcA.searchParams.get('instance')).to.not.equal(srcB.searchParams.get('instance'));
    // Scanning again (e.g. a second copy of the script) does not render twice.
    expect(boot(SRC)).to.equal(api);
    expect(page.querySelectorAll('iframe')).to.have.length(2);
    a.remove();
    b.remove();
  });

  it('calls the data-callback, data-error-callback and data-expired-callback globals', async () => {
    const onOk = spy<[string]>();
    const onErr = spy<[string]>();
    const onExp = spy<[]>();
    setGlobal('onOk', onOk);
    setGlobal('onErr', onErr);
    setGlobal('onExp', onExp);
    const form = await fixture<HTMLFormElement>(html`
      <form>
        <div class="veriframe" data-resource="res-a" data-nonce="nonce-a" data-callback="onOk" data-error-callback="onErr" data-expired-callback="onExp"></div>
      </form>
    `);
    const api = boot(LOCAL_SRC, fakePage)!;
    const frame = frameIn(form);
    const fake = await connected(frame);
    fake.send({ v: 1, type: 'result', token: 'a.b.c' });
    await waitUntil(() => onOk.calls.length === 1);
    expect(onOk.calls).to.deep.equal([['a.b.c']]);
    expect(form.querySelector<HTMLInputElement>('input[name="veriframe-token"]')!.value).to.equal('a.b.c');
    const id = new URL(frame.src).searchParams.get('instance')!;
    expect(api.getResponse(id)).to.equal('a.b.c');

    fake.send({ v: 1, type: 'error', code: 'throttled' });
    fake.send({ v: 1, type: 'expired' });
    await waitUntil(() => onExp.calls.length === 1);
    expect(onErr.calls).to.deep.equal([['throttled']]);
    expect(form.querySelector<HTMLInputElement>('input[name="veriframe-token"]')!.value).to.equal('');
    api.remove(id);
  });

  it('passes data-accent, data-radius and data-font to the iframe URL; reports and drops bad ones', async () => {
    const errors = spyErrors();
    try {
      const page = await fixture(html`
        <div>
          <div class="veriframe" data-resource="res-a" data-nonce="nonce-a" data-accent="#7a1fa2" data-radius="0.5rem" data-font='"Noto Sans", sans-serif'></div>
          <div class="veriframe" data-resource="res-b" data-nonce="nonce-b" data-accent="red;}body{x" data-radius="8px" data-font="</style>"></div>
        </div>
      `);
      boot(SRC);
      const [a, b] = [...page.querySelectorAll('iframe')].map((f) => new URL(f.src));
      expect([a!.searchParams.get('accent'), a!.searchParams.get('radius'), a!.searchParams.get('font')]).to.deep.equal([
        '#7a1fa2',
        '0.5rem',
        '"Noto Sans", sans-serif',
      ]);
      expect(a!.search).to.include('&accent=%237a1fa2&radius=0.5rem&font=%22Noto%20Sans%22%2C%20sans-serif');
      expect([b!.searchParams.has('accent'), b!.searchParams.get('radius'), b!.searchParams.has('font')]).to.deep.equal([false, '8px', false]);
      expect(errors.lines).to.have.length(2);
      expect(errors.lines[0]).to.match(/^veriframe: option "accent" must be a CSS colour .*; ignored$/);
      expect(errors.lines[1]).to.match(/^veriframe: option "font" must be a font-family list .*; ignored$/);
      page.querySelectorAll('iframe').forEach((f) => f.remove());
    } finally {
      errors.restore();
    }
  });

  it('reports data attributes that are wrong, by option name', async () => {
    const errors = spyErrors();
    try {
      const page = await fixture(html`
        <div>
          <div class="veriframe" data-resource="res-a" data-nonce="nonce-a" data-theme="neon" data-callback="missingFn"></div>
          <div class="veriframe" data-resource="res-b"></div>
        </div>
      `);
      const api = boot(LOCAL_SRC, fakePage)!;
      expect(page.querySelectorAll('iframe')).to.have.length(1);
      expect(errors.lines[0]).to.match(/option "theme" must be one of/);
      expect(errors.lines[1]).to.match(/option "nonce" is required/);
      const frame = frameIn(page);
      (await connected(frame)).send({ v: 1, type: 'result', token: 'a.b.c' });
      await waitUntil(() => errors.lines.length === 3);
      expect(errors.lines[2]).to.equal('veriframe: callback "missingFn" is not a global function');
      api.remove(new URL(frame.src).searchParams.get('instance')!);
    } finally {
      errors.restore();
    }
  });

  it('?render=explicit&onload=fn renders nothing by itself and calls fn once the API is ready', async () => {
    const page = await fixture(html`<div><div class="veriframe" data-resource="res-a" data-nonce="nonce-a"></div></div>`);
    const ready = spy<[]>();
    let apiAtOnload: unknown;
    setGlobal('vfReady', () => {
      apiAtOnload = global.veriframe;
      ready();
    });
    const api = boot(`${SRC}?render=explicit&onload=vfReady`)!;
    expect(ready.calls).to.have.length(1);
    expect(apiAtOnload).to.equal(api);
    expect(page.querySelectorAll('iframe')).to.have.length(0);
    const id = api.render(page.querySelector('.veriframe')!, { resource: 'res-a', nonce: 'nonce-a' })!;
    expect(page.querySelectorAll('iframe')).to.have.length(1);
    api.remove(id);
  });

  it('onload without render=explicit renders implicitly first', async () => {
    const page = await fixture(html`<div><veriframe-login data-resource="res-a" data-nonce="nonce-a"></veriframe-login></div>`);
    let framesAtOnload = -1;
    setGlobal('vfReady2', () => (framesAtOnload = page.querySelectorAll('iframe').length));
    boot(`${SRC}?onload=vfReady2`);
    expect(framesAtOnload).to.equal(1);
    page.querySelector('iframe')!.remove();
  });

  it('reports a missing script URL and installs nothing', () => {
    const errors = spyErrors();
    try {
      expect(boot(undefined)).to.equal(undefined);
      expect(global.veriframe).to.equal(undefined);
      expect(errors.lines).to.deep.equal(['veriframe: cannot find the URL of embed.js']);
    } finally {
      errors.restore();
    }
  });

  it('embed.js finds its own script element when currentScript is not available', async () => {
    // Module scripts (like this test) have no document.currentScript, so the entry falls back
    // to the <script src*="embed.js"> element. type=text/plain: the browser never fetches it.
    const tag = document.createElement('script');
    tag.type = 'text/plain';
    tag.src = 'https://vf.example:8443/embed.js?render=explicit&onload=vfEntryReady';
    document.head.append(tag);
    const ready = spy<[]>();
    setGlobal('vfEntryReady', ready);
    try {
      await import('../../../widget/src/embed/embed.js');
      expect(ready.calls).to.have.length(1);
      const api = global.veriframe as Veriframe;
      const el = await fixture(html`<div></div>`);
      const id = api.render(el, { resource: 'res-a', nonce: 'nonce-a' })!;
      expect(frameIn(el).src).to.match(/^https:\/\/vf\.example:8443\/widget\/res-a\?origin=/);
      api.remove(id);
    } finally {
      tag.remove();
    }
  });
});
