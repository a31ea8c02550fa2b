import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import * as api from './api.js';
import { biometricAvailable, disableBiometrics, enableBiometrics } from './biometric.js';
import { settingsSlotTags } from './extensions.js';
import { fill, isLang, languageNames, languages, type AppMessages, type Lang } from './i18n/index.js';
import { loadSettings, updateSettings, type Settings, type Theme } from './settings.js';
import { base } from './styles.js';
import { changePin, header, PIN_PATTERN } from './vault.js';

type Section = 'time' | 'pin' | 'bio';

/** Language, theme, hidden codes, time correction, PIN and biometric unlock. */
@customElement('vf-settings')
export class VfSettings extends LitElement {
  static override styles = [
    base,
    css`
      .check {
        display: flex;
        gap: 0.5rem;
        align-items: center;
      }
      .check input {
        width: auto;
        margin: 0;
      }
      .check label {
        margin: 0;
      }
    `,
  ];
  @property({ attribute: false }) m!: AppMessages;
  @property() language: Lang = 'en';
  @state() private settings: Settings | undefined;
  @state() private notes: Partial<Record<Section, { ok: boolean; text: string }>> = {};
  @state() private bioOn = false;
  /** Optional parts' settings (the push tokens' notifications), made once and kept. */
  private slots = new Map<string, HTMLElement & { language?: string }>();

  override connectedCallback() {
    super.connectedCallback();
    void loadSettings().then((s) => (this.settings = s));
    void header().then((h) => (this.bioOn = Boolean(h?.biometric)));
  }

  private note(section: Section, ok: boolean, text: string) {
    this.notes = { ...this.notes, [section]: { ok, text } };
  }

  private async save(patch: Partial<Settings>) {
    this.settings = await updateSettings(patch);
  }

  /** Offset = server clock − device clock, measured at the middle of the round trip. */
  private async syncTime() {
    try {
      const sent = Date.now();
      const { epochMs } = await api.serverTime();
      const received = Date.now();
      const offset = Math.round(epochMs - (sent + received) / 2);
      await this.save({ timeOffsetMs: offset });
      this.note('time', true, fill(this.m.timeOffset, { offset: (offset / 1000).toFixed(1) }));
    } catch (err) {
      this.note('time', false, fill(this.m.timeFailed, { reason: (err as Error).message }));
    }
  }

  private async newPin(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = (n: string) => (form.elements.namedItem(n) as HTMLInputElement).value;
    if (!PIN_PATTERN.test(v('new-pin'))) return this.note('pin', false, this.m.pinFormat);
    if (!(await changePin(v('old-pin'), v('new-pin')))) return this.note('pin', false, this.m.wrongPin);
    form.reset();
    this.note('pin', true, this.m.pinChanged);
  }

  private async bio(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (!(await biometricAvailable())) return this.note('bio', false, this.m.biometricUnavailable);
    const result = await enableBiometrics((form.elements.namedItem('bio-pin') as HTMLInputElement).value);
    form.reset();
    if (result === 'ok') {
      this.bioOn = true;
      return this.note('bio', true, this.m.biometricsOn);
    }
    this.note('bio', false, result === 'pin' ? this.m.wrongPin : result === 'unavailable' ? this.m.biometricUnavailable : this.m.biometricFailed);
  }

  private slotElement(tag: string) {
    let el = this.slots.get(tag);
    if (!el) this.slots.set(tag, (el = document.createElement(tag)));
    el.language = this.language; // re-rendered in the newly chosen language
    return el;
  }

  private noteFor(section: Section) {
    const n = this.notes[section];
    return html`<p role="status" class=${n ? (n.ok ? 'ok' : 'error') : ''}>${n?.text ?? ''}</p>`;
  }

  override render() {
    const m = this.m;
    const s = this.settings;
    if (!s) return nothing;
    return html`<h2>${m.settingsTitle}</h2>
      <section>
        <label for="lang">${m.language}</label>
        <select id="lang" @change=${(e: Event) => this.save({ lang: isLang((e.target as HTMLSelectElement).value) ? (e.target as HTMLSelectElement).value : null })}>
          ${(Object.keys(languages) as Lang[]).map((l) => html`<option value=${l} lang=${l} ?selected=${l === this.language}>${languageNames[l]}</option>`)}
        </select>
        <label for="theme">${m.theme}</label>
        <select id="theme" @change=${(e: Event) => this.save({ theme: (e.target as HTMLSelectElement).value as Theme })}>
          <option value="system" ?selected=${s.theme === 'system'}>${m.themeSystem}</option>
          <option value="light" ?selected=${s.theme === 'light'}>${m.themeLight}</option>
          <option value="dark" ?selected=${s.theme === 'dark'}>${m.themeDark}</option>
        </select>
        <p class="check">
          <input id="hide" type="checkbox" .checked=${s.hideCodes} @change=${(e: Event) => this.save({ hideCodes: (e.target as HTMLInputElement).checked })} />
          <label for="hide">${m.hideCodes}</label>
        </p>
      </section>
      <section aria-labelledby="time-h">
        <h3 id="time-h">${m.timeTitle}</h3>
        <p class="muted">${fill(m.timeOffset, { offset: (s.timeOffsetMs / 1000).toFixed(1) })}</p>
        <button @click=${this.syncTime}>${m.syncTime}</button>
        ${this.noteFor('time')}
      </section>
      <section aria-labelledby="pin-h">
        <h3 id="pin-h">${m.changePin}</h3>
        <form @submit=${this.newPin} novalidate>
          <label for="old-pin">${m.oldPin}</label><input id="old-pin" name="old-pin" type="password" inputmode="numeric" autocomplete="current-password" />
          <label for="new-pin">${m.newPin}</label><input id="new-pin" name="new-pin" type="password" inputmode="numeric" autocomplete="new-password" />
          <button>${m.changePin}</button>
        </form>
        ${this.noteFor('pin')}
      </section>
      <section aria-labelledby="bio-h">
        <h3 id="bio-h">${m.biometrics}</h3>
        ${
          this.bioOn
            ? html`<p>${m.biometricsOn}</p><button class="secondary" @click=${async () => (await disableBiometrics(), (this.bioOn = false))}>${m.disableBiometrics}</button>`
            : html`<form @submit=${this.bio} novalidate>
              <label for="bio-pin">${m.pin}</label><input id="bio-pin" name="bio-pin" type="password" inputmode="numeric" autocomplete="current-password" />
              <button>${m.enableBiometrics}</button>
            </form>`
        }
        ${this.noteFor('bio')}
      </section>
      ${settingsSlotTags().map((t) => this.slotElement(t))}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vf-settings': VfSettings;
  }
}
