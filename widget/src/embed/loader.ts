// The widget instances on a site's page: creates each iframe, does the handshake and turns the
// iframe's messages into the hidden form input and the site's callbacks (DESIGN.md §7).
//
// Security: the only channel the loader listens to is port1 of a MessageChannel whose port2 is
// handed to the iframe with targetOrigin = the exact Veriframe origin, so the browser delivers it
// only if the frame really is Veriframe. The loader never listens to `window` message events:
// any other window or origin on the page can post those, and acting on them would let it forge
// a login result.
import { HELLO, PROTOCOL_VERSION, parseFrameMessage } from '../../../shared/protocol.js';
import { styleOptions } from '../../../shared/style.js';
import { resolveLang, titles } from './i18n.js';
import { checkOptions, report, type CheckedOptions, type RenderOptions } from './options.js';

export interface Veriframe {
  /** Renders a widget into `el` (an element or its id); its id, or null when not rendered. */
  render(el: Element | string, options: RenderOptions): string | null;
  /** Clears the result and restarts the login inside the iframe. */
  reset(id: string): void;
  /** Removes the iframe and the hidden input; unknown or removed ids are ignored. */
  remove(id: string): void;
  /** The signed result token, or '' before success / after reset or expiry. */
  getResponse(id: string): string;
}

interface Widget {
  el: Element;
  frame: HTMLIFrameElement;
  input: HTMLInputElement | null;
  port: MessagePort | null;
  token: string;
  o: CheckedOptions;
}

export const INPUT_NAME = 'veriframe-token';

/**
 * @param origin the Veriframe origin (`scheme://host[:port]`): the only target of the hello.
 * @param page the iframe page of a resource, before its query string. Only tests change it
 *   (the test server has no /widget route); the origin check is unaffected.
 */
export function createVeriframe(origin: string, page = (resource: string) => `${origin}/widget/${resource}`): Veriframe {
  const widgets = new Map<string, Widget>();

  const setToken = (w: Widget, token: string) => {
    w.token = token;
    if (w.input) w.input.value = token;
  };

  const remove = (id: string) => {
    const w = widgets.get(id);
    if (!w) return;
    widgets.delete(id);
    w.port?.close();
    w.frame.remove();
    w.input?.remove();
  };

  const render = (target: Element | string, options: RenderOptions) => {
    const el = typeof target === 'string' ? document.getElementById(target) : target;
    if (!(el instanceof Element)) {
      report('render needs an element or an element id');
      return null;
    }
    const o = checkOptions(options);
    if (!o) return null;
    // One widget per element: a second render replaces the first (remount without remove).
    for (const [id, w] of widgets) if (w.el === el) remove(id);

    const bytes = crypto.getRandomValues(new Uint8Array(16));
    const id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    const lang = resolveLang(o.lang);
    const frame = document.createElement('iframe');
    const w: Widget = { el, frame, input: null, port: null, token: '', o };
    // The frame only learns the parent origin from here; the server checks it against the
    // resource's allowedOrigins and the iframe checks it again on the hello. No referrer needed.
    let src = `${page(o.resource)}?origin=${encodeURIComponent(location.origin)}&instance=${id}&lang=${lang}&theme=${o.theme}&size=${o.size}`;
    // Brand style, only the valid ones given; the server checks them again (they become CSS).
    for (const k of styleOptions) if (o[k]) src += `&${k}=${encodeURIComponent(o[k])}`;
    frame.src = src;
    frame.title = titles[lang];
    frame.setAttribute('allow', 'publickey-credentials-get; otp-credentials');
    frame.referrerPolicy = 'no-referrer';
    // Height follows `resize` from the frame only; a small placeholder until the first one.
    frame.style.cssText = 'display:block;width:100%;height:64px;border:0;overflow:hidden';

    const onMessage = (event: MessageEvent) => {
      const m = parseFrameMessage(event.data);
      if (!m || widgets.get(id) !== w) return;
      if (m.type === 'resize') frame.style.height = m.height + 'px';
      else if (m.type === 'result') {
        setToken(w, m.token);
        o.onSuccess?.(m.token);
      } else if (m.type === 'expired') {
        setToken(w, '');
        o.onExpire?.();
      } else if (m.type === 'error') o.onError?.(m.code);
    };

    // Every load is a fresh frame document (first load, reload, navigation): the old port is
    // dead or belongs to a document we no longer trust, and a result it gave is void.
    frame.addEventListener('load', () => {
      if (widgets.get(id) !== w) return;
      w.port?.close();
      setToken(w, '');
      const channel = new MessageChannel();
      w.port = channel.port1;
      channel.port1.onmessage = onMessage;
      frame.contentWindow?.postMessage({ v: PROTOCOL_VERSION, type: HELLO, instance: id, nonce: o.nonce }, origin, [channel.port2]);
    });

    const form = el.closest('form');
    if (form) {
      w.input = document.createElement('input');
      w.input.type = 'hidden';
      w.input.name = INPUT_NAME;
    }
    widgets.set(id, w);
    el.append(frame, ...(w.input ? [w.input] : []));
    return id;
  };

  return {
    render,
    remove,
    reset(id) {
      const w = widgets.get(id);
      if (!w) return;
      setToken(w, '');
      w.port?.postMessage({ v: PROTOCOL_VERSION, type: 'reset' });
    },
    getResponse: (id) => widgets.get(id)?.token ?? '',
  };
}

/** Renders every `.veriframe` container and `<veriframe-login>` element not rendered yet. */
export function renderAll(api: Veriframe, root: ParentNode = document) {
  for (const el of root.querySelectorAll<HTMLElement>('.veriframe,veriframe-login')) {
    if (el.querySelector(':scope>iframe')) continue;
    const d = el.dataset;
    const options: Record<string, unknown> = {
      resource: d.resource,
      nonce: d.nonce,
      lang: d.lang,
      theme: d.theme,
      size: d.size,
      accent: d.accent,
      radius: d.radius,
      font: d.font,
    };
    // Callbacks are global function names, looked up when called so they may be defined later.
    for (const [attr, key] of [
      ['callback', 'onSuccess'],
      ['errorCallback', 'onError'],
      ['expiredCallback', 'onExpire'],
    ] as const) {
      const name = d[attr];
      if (name) options[key] = (arg?: unknown) => callGlobal(name, arg);
    }
    api.render(el, options as unknown as RenderOptions);
  }
}

/** Calls `window[name](arg)`, or reports that there is no such function. */
export function callGlobal(name: string, arg?: unknown) {
  const fn = (window as unknown as Record<string, unknown>)[name];
  if (typeof fn === 'function') fn(arg);
  else report(`callback "${name}" is not a global function`);
}
