import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { EventItem } from '../api.js';
import { msg } from '../i18n/index.js';
import { ListPage } from './list-page.js';

/** Events: search, type filter, paging. */
@customElement('vf-page-events')
export class VfPageEvents extends ListPage<EventItem> {
  protected path = 'events';
  protected heading = msg((m) => m.events.title);
  @state() private type = '';
  protected columns: [string, (e: EventItem) => unknown][] = [
    [msg((m) => m.common.created), (e) => new Date(e.createdAt).toLocaleString()],
    [msg((m) => m.events.type), (e) => e.type],
    [msg((m) => m.events.result), (e) => `${e.result ?? ''} ${e.reason ?? ''}`],
    ['IP', (e) => e.ip ?? ''],
  ];
  protected override extraQuery() {
    return { type: this.type || undefined };
  }
  protected override above() {
    return html`<form class="row" @submit=${(e: SubmitEvent) => {
      e.preventDefault();
      this.type = String(new FormData(e.target as HTMLFormElement).get('type') ?? '').trim();
      this.start = 0;
      void this.load();
    }}><label for="type">${msg((m) => m.events.type)}</label><input id="type" name="type" placeholder="token.created" /><button>${msg((m) => m.common.search)}</button></form>`;
  }
}
