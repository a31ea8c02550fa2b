import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { addressPattern, enrollmentTypes, tokenActions, userActions, type EnrollmentType } from '../../../shared/self-service.js';
import { api, type Resource, type SelfService } from '../api.js';
import { failure, fieldError, formError, type Failure } from '../forms.js';
import { msg } from '../i18n/index.js';
import { base } from '../styles.js';

declare global {
  interface HTMLElementEventMap {
    'resource-saved': CustomEvent<{ resource: Resource }>;
  }
}

const ADDRESS = 'selfService.address';

/** One group of switches with its All toggle (checked when all are on, mixed when some are). */
function group<K extends string>(
  id: string,
  legend: string,
  keys: readonly K[],
  isOn: (k: K) => boolean,
  label: (k: K) => string,
  set: (keys: K[], on: boolean) => void,
) {
  const on = keys.filter(isOn).length;
  return html`<fieldset id=${id}>
    <legend>${legend}</legend>
    <label class="all"><input type="checkbox" name=${`${id}-all`} aria-label=${msg((m) => m.selfService.allOf, { group: legend })}
      .checked=${on === keys.length} .indeterminate=${on > 0 && on < keys.length}
      @change=${(e: Event) => set([...keys], (e.target as HTMLInputElement).checked)} /> ${msg((m) => m.selfService.all)}</label>
    ${keys.map((k) => html`<label><input type="checkbox" name=${k} .checked=${isOn(k)} @change=${(e: Event) => set([k], (e.target as HTMLInputElement).checked)} /> ${label(k)}</label>`)}
  </fieldset>`;
}

/**
 * A resource's Self-service tab (DESIGN §12, seed 001): the portal's switch, address and URL,
 * Allowed Actions (Token, User) and Token Enrollment, each group with an All toggle, and
 * enrolment during sign-in. Save sends the whole draft as one partial PATCH.
 */
@customElement('vf-resource-self-service')
export class VfResourceSelfService extends LitElement {
  static override styles = [
    base,
    // The All toggle stands apart from the switches it sets.
    css`fieldset { border: 1px solid var(--vf-line); border-radius: 6px; margin: 0.75rem 0; }
      label.all { font-weight: 600; border-bottom: 1px solid var(--vf-line); padding-bottom: 0.25rem; }`,
  ];
  @property({ attribute: false }) resource!: Resource;
  @state() private draft: SelfService | undefined;
  @state() private enrollOnLogin = false;
  @state() private error: Failure | undefined;
  @state() private note = '';
  @state() private busy = false;

  /** The draft follows the resource; feedback stays when the new value is the one just saved. */
  override willUpdate(changed: Map<string, unknown>) {
    if (!changed.has('resource') || !this.resource) return;
    const previous = changed.get('resource') as Resource | undefined;
    this.draft = structuredClone(this.resource.selfService);
    this.enrollOnLogin = this.resource.enrollOnLogin;
    if (previous?.id !== this.resource.id) {
      this.error = undefined;
      this.note = '';
    }
  }

  private edit(change: (d: SelfService) => void) {
    const d = structuredClone(this.draft!);
    change(d);
    this.draft = d;
    this.note = '';
  }

  private async save(e: SubmitEvent) {
    e.preventDefault();
    const d = this.draft!;
    this.error = undefined;
    this.note = '';
    if (d.address !== null && !addressPattern.test(d.address)) {
      this.error = { message: msg((m) => m.selfService.addressInvalid), field: ADDRESS };
      return;
    }
    this.busy = true;
    try {
      const resource = await api.patch<Resource>(`resources/${this.resource.id}`, { selfService: d, enrollOnLogin: this.enrollOnLogin });
      this.resource = resource;
      this.note = msg((m) => m.selfService.saved);
      this.dispatchEvent(new CustomEvent('resource-saved', { detail: { resource }, bubbles: true, composed: true }));
    } catch (err) {
      this.error = failure(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const d = this.draft;
    if (!d) return '';
    const url = this.resource.selfServiceUrl;
    const types = (keys: EnrollmentType[], on: boolean) =>
      this.edit((x) => (x.enrollmentTypes = enrollmentTypes.filter((t) => (keys.includes(t) ? on : x.enrollmentTypes.includes(t)))));
    return html`<form @submit=${this.save} novalidate>
      <label><input type="checkbox" name="enabled" .checked=${d.enabled} @change=${(e: Event) => this.edit((x) => (x.enabled = (e.target as HTMLInputElement).checked))} />
        ${msg((m) => m.selfService.enabled)}</label>
      <label for="ss-address">${msg((m) => m.selfService.address)}</label>
      <input id="ss-address" name="address" .value=${d.address ?? ''} autocomplete="off" aria-describedby="ss-address-hint ss-address-error"
        aria-invalid=${this.error?.field === ADDRESS ? 'true' : 'false'}
        @input=${(e: Event) => this.edit((x) => (x.address = (e.target as HTMLInputElement).value.trim() || null))} />
      <p class="muted" id="ss-address-hint">${msg((m) => m.selfService.addressHint)}</p>
      ${fieldError(this.error, ADDRESS, 'ss-address-error')}
      <p>${msg((m) => m.selfService.url)}: ${url ? html`<a href=${url} data-portal-url>${url}</a>` : html`<span class="muted">${msg((m) => m.selfService.noUrl)}</span>`}</p>
      <h3>${msg((m) => m.selfService.allowedActions)}</h3>
      ${group(
        'ss-token',
        msg((m) => m.selfService.tokenGroup),
        tokenActions,
        (k) => d.allowedActions.token[k],
        (k) => msg((m) => m.selfService.token[k]),
        (keys, on) => this.edit((x) => Object.assign(x.allowedActions.token, Object.fromEntries(keys.map((k) => [k, on])))),
      )}
      ${group(
        'ss-user',
        msg((m) => m.selfService.userGroup),
        userActions,
        (k) => d.allowedActions.user[k],
        (k) => msg((m) => m.selfService.user[k]),
        (keys, on) => this.edit((x) => Object.assign(x.allowedActions.user, Object.fromEntries(keys.map((k) => [k, on])))),
      )}
      <h3>${msg((m) => m.selfService.enrollment)}</h3>
      ${group(
        'ss-types',
        msg((m) => m.selfService.enrollment),
        enrollmentTypes,
        (k) => d.enrollmentTypes.includes(k),
        (k) => msg((m) => m.selfService.types[k]),
        types,
      )}
      <label><input type="checkbox" name="enrollOnLogin" .checked=${this.enrollOnLogin} @change=${(e: Event) => ((this.enrollOnLogin = (e.target as HTMLInputElement).checked), (this.note = ''))} />
        ${msg((m) => m.selfService.enrollOnLogin)}</label>
      ${formError(this.error, [ADDRESS])}
      <p class="ok" role="status">${this.note}</p>
      <button class="primary" ?disabled=${this.busy}>${msg((m) => m.common.save)}</button>
    </form>`;
  }
}
