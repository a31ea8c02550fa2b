/// <reference types="mocha" />
import { expect, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { parseConfig } from '../../../widget/src/frame/config.js';
import type { VfApp } from '../../../widget/src/frame/vf-app.js';
import { baseConfig, deep, mockApi, mountApp, startAnswer, waitForStep } from './helpers.js';

const WHITE = 'rgb(255, 255, 255)';
const DARK = 'rgb(13, 17, 23)';
const bg = (app: VfApp) => getComputedStyle(app).backgroundColor;

describe('<vf-app> themes', function () {
  this.timeout(10_000);
  let api: ReturnType<typeof mockApi> | undefined;
  afterEach(async () => {
    api?.restore();
    await emulateMedia({ colorScheme: 'light' });
  });

  it('light and dark are fixed whatever the system prefers', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    api = mockApi({ start: startAnswer() });
    const light = await mountApp({ theme: 'light' });
    expect(light.app.getAttribute('theme')).to.equal('light');
    expect(bg(light.app)).to.equal(WHITE);
    expect(getComputedStyle(light.app).colorScheme).to.equal('light');

    await emulateMedia({ colorScheme: 'light' });
    const dark = await mountApp({ theme: 'dark' });
    await waitForStep(dark.app, 'identify');
    expect(bg(dark.app)).to.equal(DARK);
    expect(getComputedStyle(dark.app).colorScheme).to.equal('dark');
    expect(getComputedStyle(deep(dark.app, 'vf-identify', 'input')!).backgroundColor).to.equal(DARK);
    await expect(dark.app).to.be.accessible();
  });

  it('auto follows prefers-color-scheme', async () => {
    api = mockApi({ start: startAnswer() });
    const { app } = await mountApp({ theme: 'auto' });
    await waitForStep(app, 'identify');
    expect(bg(app)).to.equal(WHITE);
    await emulateMedia({ colorScheme: 'dark' });
    await waitUntil(() => bg(app) === DARK, 'dark when the system is dark');
    await expect(app).to.be.accessible();
  });

  it('the page switches the theme with a theme message', async () => {
    api = mockApi({ start: startAnswer() });
    const { app, page, delivered } = await mountApp({ theme: 'light' });
    page.postMessage({ v: 1, type: 'theme', theme: 'dark' });
    await waitUntil(() => bg(app) === DARK);
    page.postMessage({ v: 1, type: 'theme', theme: 'sepia' });
    await delivered();
    expect(app.theme).to.equal('dark');
    expect(bg(app)).to.equal(DARK);
  });

  it('brand colour, radius and font come from custom properties, with defaults', async () => {
    api = mockApi({ start: startAnswer() });
    const plain = await mountApp();
    await waitForStep(plain.app, 'identify');
    const button = (app: VfApp) => getComputedStyle(deep(app, 'vf-identify', 'button')!);
    expect(button(plain.app).backgroundColor).to.equal('rgb(9, 105, 218)');
    expect(button(plain.app).borderTopLeftRadius).to.equal('6px');

    const branded = await mountApp({ style: { '--vf-accent': '#7a1fa2', '--vf-radius': '12px', '--vf-font': 'Georgia, serif' } });
    await waitForStep(branded.app, 'identify');
    expect(button(branded.app).backgroundColor).to.equal('rgb(122, 31, 162)');
    expect(button(branded.app).borderTopLeftRadius).to.equal('12px');
    expect(getComputedStyle(deep(branded.app, 'h1')!).fontFamily).to.equal('Georgia, serif');
    expect(getComputedStyle(deep(branded.app, 'vf-identify', 'input')!).borderTopLeftRadius).to.equal('12px');
  });

  it('the config keeps only safe custom property values', () => {
    const config = parseConfig({
      ...baseConfig,
      style: { '--vf-accent': 'url(https://evil.example/x)', '--vf-radius': '4px;color:red', '--vf-font': 'Inter, sans-serif', '--other': 'red' },
    });
    expect(config?.style).to.deep.equal({ '--vf-font': 'Inter, sans-serif' });
  });

  it('the config accepts every style value the server emits, under the same patterns', () => {
    const style = { '--vf-accent': 'hsl(210 50% 40% / 0.8)', '--vf-radius': '0.5rem', '--vf-font': `"Noto Sans", 'Imagine Sans', sans-serif` };
    expect(parseConfig({ ...baseConfig, style })?.style).to.deep.equal(style);
    expect(parseConfig({ ...baseConfig, style: { '--vf-accent': '#aabbcc80', '--vf-radius': '0' } })?.style).to.deep.equal({
      '--vf-accent': '#aabbcc80',
      '--vf-radius': '0',
    });
    // A value valid for one property is not accepted for another (a font list is no colour).
    const swapped = parseConfig({ ...baseConfig, style: { '--vf-accent': 'Inter', '--vf-radius': '#fff', '--vf-font': '8px;x' } });
    expect(swapped?.style).to.deep.equal({});
  });
});
