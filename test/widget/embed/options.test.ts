/// <reference types="mocha" />
import { expect, fixture, html } from '@open-wc/testing';
import { createVeriframe } from '../../../widget/src/embed/loader.js';
import { checkOptions } from '../../../widget/src/embed/options.js';
import { frameIn, spyErrors } from './helpers.js';

const opts = { resource: 'res-1', nonce: 'nonce_1' };

describe('embed loader: option validation', () => {
  let errors: ReturnType<typeof spyErrors>;
  beforeEach(() => (errors = spyErrors()));
  afterEach(() => errors.restore());

  it('accepts valid options silently and fills the defaults', () => {
    const onSuccess = () => {};
    expect(checkOptions({ ...opts, onSuccess })).to.deep.equal({ ...opts, lang: 'auto', theme: 'auto', size: 'normal', onSuccess });
    expect(checkOptions({ ...opts, lang: 'uk', theme: 'light', size: 'compact', onError: () => {}, onExpire: () => {} })).to.include({
      lang: 'uk',
      theme: 'light',
      size: 'compact',
    });
    expect(checkOptions({ ...opts, lang: undefined, onExpire: undefined })).to.deep.equal({ ...opts, lang: 'auto', theme: 'auto', size: 'normal' });
    expect(errors.lines).to.deep.equal([]);
  });

  it('names an unknown option and ignores it', () => {
    expect(checkOptions({ ...opts, colour: 'red' })).to.deep.equal({ ...opts, lang: 'auto', theme: 'auto', size: 'normal' });
    expect(errors.lines).to.have.length(1);
    expect(errors.lines[0]).to.match(/^veriframe: option "colour" is unknown/);
  });

  it('names a bad lang, theme or size and falls back to the default', () => {
    expect(checkOptions({ ...opts, lang: 'pt', theme: 'blue', size: 'huge' })).to.deep.equal({ ...opts, lang: 'auto', theme: 'auto', size: 'normal' });
    expect(errors.lines).to.have.length(3);
    expect(errors.lines[0]).to.match(/^veriframe: option "lang" must be one of auto, en, fr, de, es, ru, uk/);
    expect(errors.lines[1]).to.match(/^veriframe: option "theme" must be one of light, dark, auto/);
    expect(errors.lines[2]).to.match(/^veriframe: option "size" must be one of normal, compact/);
  });

  it('accepts brand style options: a CSS colour, a length and a font-family list', () => {
    const colours = ['#abc', '#A1B2C3', '#a1b2c3d4', 'rgb(10, 20, 30)', 'rgba(10,20,30,.5)', 'hsl(210, 50%, 40%)', 'hsl(210 50% 40% / 0.8)'];
    for (const accent of colours) expect(checkOptions({ ...opts, accent })).to.include({ accent });
    for (const radius of ['0', '8px', '0.5rem', '.25em', '50%']) expect(checkOptions({ ...opts, radius })).to.include({ radius });
    for (const font of ['Inter', 'Georgia, serif', `"Noto Sans", 'Helvetica Neue', sans-serif`, 'Font-2'])
      expect(checkOptions({ ...opts, font })).to.include({ font });
    expect(errors.lines).to.deep.equal([]);
  });

  it('names a bad accent, radius or font and ignores it', () => {
    const bad = {
      accent: ['red', 'red;}body{x', '#abcd', '#ggg', 'url(https://evil.example/x)', 'rgb(1,2,3);color:red', 'rgb(image-set(x))', 'var(--x)', 7],
      radius: ['8', '8px;color:red', 'calc(1px + 2px)', '-', '1e3px', ''],
      font: ['</style>', 'Inter; color: red', 'Inter{}', 'f'.repeat(101), 'url(x)', ''],
    };
    for (const [key, values] of Object.entries(bad)) {
      for (const value of values) {
        errors.lines.length = 0;
        expect(checkOptions({ ...opts, [key]: value })).to.deep.equal({ ...opts, lang: 'auto', theme: 'auto', size: 'normal' });
        expect(errors.lines, `${key}=${value}`).to.have.length(1);
        expect(errors.lines[0]).to.match(new RegExp(`^veriframe: option "${key}" must be .*; ignored$`));
      }
    }
  });

  it('puts valid style options in the iframe URL, encoded, and leaves bad ones out', async () => {
    const api = createVeriframe('https://vf.example');
    const el = await fixture(html`<div></div>`);
    const id = api.render(el, { ...opts, accent: 'hsl(210 50% 40% / 0.8)', radius: '12px', font: `"Noto Sans", sans-serif` });
    const src = new URL(frameIn(el).src);
    expect([src.searchParams.get('accent'), src.searchParams.get('radius'), src.searchParams.get('font')]).to.deep.equal([
      'hsl(210 50% 40% / 0.8)',
      '12px',
      '"Noto Sans", sans-serif',
    ]);
    expect(src.search).to.not.match(/[ "]/);
    api.remove(id!);

    const id2 = api.render(el, { ...opts, accent: 'red;}body{x', radius: '0', font: '</style>' });
    const src2 = new URL(frameIn(el).src);
    expect([...src2.searchParams.keys()]).to.deep.equal(['origin', 'instance', 'lang', 'theme', 'size', 'radius']);
    expect(src2.searchParams.get('radius')).to.equal('0');
    expect(errors.lines.map((l) => l.match(/option "(\w+)"/)?.[1])).to.deep.equal(['accent', 'font']);
    api.remove(id2!);
  });

  it('names callbacks that are not functions and drops them', () => {
    const checked = checkOptions({ ...opts, onSuccess: 'onVerified', onError: 42, onExpire: {} });
    expect(checked).to.deep.equal({ ...opts, lang: 'auto', theme: 'auto', size: 'normal' });
    expect(errors.lines.map((l) => l.match(/option "(\w+)"/)?.[1])).to.deep.equal(['onSuccess', 'onError', 'onExpire']);
    expect(errors.lines.every((l) => l.includes('must be a function'))).to.equal(true);
  });

  it('refuses a missing or malformed resource or nonce, naming it', () => {
    expect(checkOptions({ nonce: 'n' })).to.equal(null);
    expect(errors.lines).to.deep.equal(['veriframe: option "resource" is required; widget not rendered']);
    errors.lines.length = 0;
    expect(checkOptions({ resource: 'r' })).to.equal(null);
    expect(errors.lines).to.deep.equal(['veriframe: option "nonce" is required; widget not rendered']);
    errors.lines.length = 0;
    expect(checkOptions({ resource: 'r', nonce: 'has space' })).to.equal(null);
    expect(errors.lines[0]).to.match(/^veriframe: option "nonce" must be 1-128 letters/);
    expect(errors.lines[1]).to.match(/^veriframe: option "nonce" is required/);
    errors.lines.length = 0;
    expect(checkOptions({ resource: '../admin', nonce: 'n' })).to.equal(null);
    expect(errors.lines[0]).to.match(/^veriframe: option "resource" must be/);
    errors.lines.length = 0;
    expect(checkOptions({ resource: 'r', nonce: 'x'.repeat(129) })).to.equal(null);
    expect(checkOptions(undefined)).to.equal(null);
    expect(checkOptions('res-1')).to.equal(null);
  });

  it('render still works with wrong optional options, and returns null without resource or nonce', async () => {
    const api = createVeriframe('https://vf.example');
    const el = await fixture(html`<div></div>`);
    const id = api.render(el, { ...opts, theme: 'purple', extra: true } as never);
    expect(id).to.be.a('string');
    const src = new URL(frameIn(el).src);
    expect(src.searchParams.get('theme')).to.equal('auto');
    expect(errors.lines.map((l) => l.match(/option "(\w+)"/)?.[1])).to.deep.equal(['theme', 'extra']);
    api.remove(id!);

    errors.lines.length = 0;
    expect(api.render(el, { resource: 'res-1' } as never)).to.equal(null);
    expect(api.render(el, { nonce: 'n' } as never)).to.equal(null);
    expect(el.querySelectorAll('iframe')).to.have.length(0);
    expect(errors.lines.map((l) => l.match(/option "(\w+)"/)?.[1])).to.deep.equal(['nonce', 'resource']);
  });

  it('reports a missing element', () => {
    const api = createVeriframe('https://vf.example');
    expect(api.render('no-such-element', opts)).to.equal(null);
    expect(api.render(null as never, opts)).to.equal(null);
    expect(errors.lines).to.deep.equal(['veriframe: render needs an element or an element id', 'veriframe: render needs an element or an element id']);
  });
});
