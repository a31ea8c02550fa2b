/// <reference types="mocha" />
// Runs in its own page: the first tests check that only the active catalogue was downloaded.
import { expect, waitUntil } from '@open-wc/testing';
import { loadMessages, pickLanguage, requestedLanguages, translator, type Messages } from '../../../widget/src/i18n/index.js';
import { widgetLanguages } from '../../../shared/protocol.js';
import { alertText, apiError, deep, heading, identifyAs, mockApi, mountApp, otpAnswer, startAnswer, type, waitForStep, focused } from './helpers.js';

/** Catalogue modules this page fetched, by language. */
const fetchedCatalogues = () =>
  performance
    .getEntriesByType('resource')
    .map((e) => /\/widget\/src\/i18n\/(\w\w)\.(?:js|ts)/.exec(e.name)?.[1])
    .filter(Boolean);

describe('<vf-app> languages', function () {
  this.timeout(10_000);
  let api: ReturnType<typeof mockApi> | undefined;
  afterEach(() => api?.restore());

  it('starts in the configured language, downloading only that catalogue', async () => {
    api = mockApi({ start: startAnswer() });
    const { app } = await mountApp({ lang: 'fr' });
    await waitForStep(app, 'identify');
    expect(heading(app)).to.equal('Connexion à Shop');
    expect(deep(app, 'vf-identify', 'label')!.textContent).to.equal('Identifiant');
    expect(deep(app, 'vf-identify', 'button')!.textContent).to.equal('Continuer');
    expect(document.documentElement.lang).to.equal('fr');
    expect(requestedLanguages).to.deep.equal(['fr']);
    expect(fetchedCatalogues()).to.deep.equal(['fr']);
  });

  it("switches on the page's lang message without reload, keeping what was typed", async () => {
    api = mockApi({ start: startAnswer(), identify: apiError(401, 'wrong_credentials') });
    const { app, page, delivered } = await mountApp({ lang: 'fr' });
    await waitForStep(app, 'identify');
    const identify = deep(app, 'vf-identify');
    await identifyAs(app, 'alice', 'pw');
    await waitUntil(() => alertText(app) === 'Identifiant ou code incorrect.');
    type(deep<HTMLInputElement>(app, 'vf-identify', '#login')!, 'alice');

    page.postMessage({ v: 1, type: 'lang', lang: 'de' });
    await waitUntil(() => heading(app) === 'Bei Shop anmelden', 'German heading');
    expect(deep(app, 'vf-identify')).to.equal(identify);
    expect(deep<HTMLInputElement>(app, 'vf-identify', '#login')!.value).to.equal('alice');
    // The message on screen follows the language too.
    expect(alertText(app)).to.equal('Falscher Anmeldename oder Code.');
    expect(deep(app, 'vf-identify', 'label')!.textContent).to.equal('Anmeldename');
    expect(requestedLanguages).to.deep.equal(['fr', 'de']);
    expect(fetchedCatalogues()).to.deep.equal(['fr', 'de']);

    page.postMessage({ v: 1, type: 'lang', lang: 'deu' });
    await delivered();
    expect(heading(app)).to.equal('Bei Shop anmelden');
    expect(requestedLanguages).to.deep.equal(['fr', 'de']);
  });

  it('switches from the footer select, which is labelled and keeps focus', async () => {
    api = mockApi({ start: startAnswer() });
    const { app } = await mountApp({ lang: 'de' });
    await waitForStep(app, 'identify');
    const select = deep<HTMLSelectElement>(app, 'vf-lang-select', 'select')!;
    expect(select.labels?.[0]?.textContent).to.equal('Sprache');
    expect(select.value).to.equal('de');
    expect([...select.options].map((o) => [o.value, o.lang, o.textContent])).to.deep.equal([
      ['en', 'en', 'English'],
      ['fr', 'fr', 'Français'],
      ['de', 'de', 'Deutsch'],
      ['es', 'es', 'Español'],
      ['ru', 'ru', 'Русский'],
      ['uk', 'uk', 'Українська'],
    ]);
    select.focus();
    select.value = 'uk';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await waitUntil(() => heading(app) === 'Вхід до Shop');
    expect(deep(app, 'vf-identify', 'button')!.textContent).to.equal('Продовжити');
    expect(deep<HTMLSelectElement>(app, 'vf-lang-select', 'select')!.labels?.[0]?.textContent).to.equal('Мова');
    expect(focused()).to.equal(select);
    expect(select.value).to.equal('uk');
    expect(document.documentElement.lang).to.equal('uk');
    expect(document.title).to.equal('Вхід');
    expect(fetchedCatalogues()).to.deep.equal(['fr', 'de', 'uk']);
    await expect(app).to.be.accessible();
  });

  it('OTP texts and waits are translated with the right plural forms', async () => {
    api = mockApi({ start: startAnswer(), identify: otpAnswer({ type: 'sms', resendAfter: 21 }), otp: apiError(423, 'account_locked', { retryAfter: 120 }) });
    const { app } = await mountApp({ lang: 'ru', resourceName: '' });
    await identifyAs(app, 'alice', 'pw');
    await waitForStep(app, 'otp');
    expect(heading(app)).to.equal('Вход');
    expect(deep(app, 'vf-otp', '.countdown')!.textContent).to.equal('Новый код можно запросить через 21 секунду.');
    type(deep<HTMLInputElement>(app, 'vf-otp', 'vf-code-input', 'input')!, '123456');
    deep<HTMLButtonElement>(app, 'vf-otp', 'button[type="submit"]')!.click();
    await waitUntil(() => alertText(app) === 'Ваша учётная запись заблокирована. Повторите попытку через 2 минуты.');

    const ru = translator('ru', await loadMessages('ru'));
    expect([1, 2, 5, 11, 22, 59].map((s) => ru.time(s))).to.deep.equal(['1 секунду', '2 секунды', '5 секунд', '11 секунд', '22 секунды', '59 секунд']);
    expect(ru.time(61)).to.equal('2 минуты');
    expect(ru.time(3600 * 5)).to.equal('5 часов');
    const uk = translator('uk', await loadMessages('uk'));
    expect([1, 3, 7].map((s) => uk.time(s * 60))).to.deep.equal(['1 хвилину', '3 хвилини', '7 хвилин']);
    const fr = translator('fr', await loadMessages('fr'));
    expect([1, 30].map((s) => fr.time(s))).to.deep.equal(['1 seconde', '30 secondes']);
  });

  it("picks a language: the requested one, else the browser's, else English", () => {
    expect(pickLanguage('es', ['de'])).to.equal('es');
    expect(pickLanguage('auto', ['it-IT', 'uk-UA', 'en'])).to.equal('uk');
    expect(pickLanguage('it', ['pt-BR'])).to.equal('en');
    expect(pickLanguage(undefined, [])).to.equal('en');
  });

  it('every catalogue is complete and really translated', async () => {
    const en = await loadMessages('en');
    const keys = (m: Messages) => Object.keys(m).sort();
    for (const lang of widgetLanguages) {
      const m = await loadMessages(lang);
      expect(keys(m), lang).to.deep.equal(keys(en));
      for (const [key, value] of Object.entries(m)) {
        if (typeof value === 'string') {
          expect(value.trim(), `${lang}.${key}`).to.not.equal('');
          // Placeholders survive translation.
          expect(value.match(/\{\w+\}/g) ?? [], `${lang}.${key}`).to.deep.equal((en[key as keyof Messages] as string).match(/\{\w+\}/g) ?? []);
        }
      }
      if (lang !== 'en') expect(m.wrong, lang).to.not.equal(en.wrong);
    }
  });
});
