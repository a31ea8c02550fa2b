/// <reference types="mocha" />
import { expect, waitUntil } from '@open-wc/testing';
import { parseConfig, readConfig } from '../../../widget/src/frame/config.js';
import { acceptHello, listenForHello, type Handshake } from '../../../widget/src/frame/handshake.js';

const config = { parentOrigin: 'https://shop.example', instance: 'inst_1' };
const hello = (over: Record<string, unknown> = {}) => ({ v: 1, type: 'veriframe:hello', instance: 'inst_1', nonce: 'nonce_1', ...over });

/** A synthetic message event (origin and source can be anything, as an attacker's could). */
function event(init: { data?: unknown; origin?: string; source?: MessageEventSource | null; ports?: MessagePort[] } = {}) {
  return new MessageEvent('message', {
    data: 'data' in init ? init.data : hello(),
    origin: init.origin ?? config.parentOrigin,
    source: init.source === undefined ? window : init.source,
    ports: init.ports ?? [new MessageChannel().port2],
  });
}

/**
 * Resolves once a message posted now has reached this window: messages posted to it earlier
 * (same event loop, in order) have been dispatched to every listener by then.
 */
function delivered(): Promise<void> {
  const marker = `test marker ${Math.random()}`;
  return new Promise((resolve) => {
    const seen = (e: MessageEvent) => {
      if (e.data !== marker) return;
      window.removeEventListener('message', seen);
      resolve();
    };
    window.addEventListener('message', seen);
    window.postMessage(marker, location.origin);
  });
}

async function otherWindow(): Promise<Window> {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  await new Promise((r) => setTimeout(r));
  return frame.contentWindow!;
}

describe('handshake', () => {
  it('accepts a hello from the parent, from the validated origin, for this instance, with one port', () => {
    const { port1, port2 } = new MessageChannel();
    const accepted = acceptHello(event({ ports: [port2] }), config, window);
    expect(accepted?.port).to.equal(port2);
    expect(accepted?.hello).to.deep.equal(hello());
    port1.close();
  });

  it('refuses another origin (exact string equality)', () => {
    for (const origin of [
      'https://evil.example',
      'https://shop.example:443',
      'https://shop.example/',
      'http://shop.example',
      'https://SHOP.example',
      'null',
      '',
    ]) {
      expect(acceptHello(event({ origin }), config, window), origin).to.equal(null);
    }
  });

  it('refuses another source window, or none', async () => {
    expect(acceptHello(event({ source: await otherWindow() }), config, window)).to.equal(null);
    expect(acceptHello(event({ source: null }), config, window)).to.equal(null);
    // Not framed: window.parent is window itself, and a hello "from the parent" must still be from it.
    expect(acceptHello(event(), config, await otherWindow())).to.equal(null);
  });

  it('refuses another instance, a bad shape or version, and a missing or extra port', () => {
    const refused = [
      event({ data: hello({ instance: 'inst_2' }) }),
      event({ data: hello({ v: 2 }) }),
      event({ data: hello({ type: 'veriframe:helo' }) }),
      event({ data: hello({ nonce: 'bad nonce!' }) }),
      event({ data: hello({ extra: 1 }) }),
      event({ data: JSON.stringify(hello()) }),
      event({ data: null }),
      event({ ports: [] }),
      event({ ports: [new MessageChannel().port1, new MessageChannel().port1] }),
    ];
    for (const e of refused) expect(acceptHello(e, config, window), JSON.stringify(e.data)).to.equal(null);
  });

  it('listenForHello takes the first acceptable hello only and ignores everything else', async () => {
    const got: Handshake[] = [];
    const stop = listenForHello(window, { parentOrigin: location.origin, instance: 'inst_1' }, (h) => got.push(h), window);

    // Real postMessage, so the browser sets origin and source: wrong instance, then from a child
    // window (source ≠ parent), then a synthetic event with a wrong origin.
    window.postMessage(hello({ instance: 'inst_9' }), location.origin, [new MessageChannel().port2]);
    const child = await otherWindow();
    // A function of the child's realm, so the browser reports the child as the source.
    const post = (child as unknown as { eval(code: string): unknown }).eval('(function (m, o, p) { parent.postMessage(m, o, p); })') as (
      m: unknown,
      o: string,
      p: MessagePort[],
    ) => void;
    post(hello(), location.origin, [new MessageChannel().port2]);
    window.dispatchEvent(event({ origin: 'https://evil.example', data: hello() }));
    await delivered();
    expect(got).to.have.length(0);

    const good = new MessageChannel();
    window.postMessage(hello({ nonce: 'n_good' }), location.origin, [good.port2]);
    await waitUntil(() => got.length === 1, 'the good hello should be accepted');
    expect(got[0]!.hello.nonce).to.equal('n_good');

    // The accepted port is live: what the app posts on it reaches the page's end.
    const received = new Promise((r) => (good.port1.onmessage = (e) => r(e.data)));
    got[0]!.port.postMessage({ v: 1, type: 'ready' });
    expect(await received).to.deep.equal({ v: 1, type: 'ready' });

    window.postMessage(hello({ nonce: 'n_late' }), location.origin, [new MessageChannel().port2]);
    await delivered();
    expect(got).to.have.length(1);
    stop();
  });

  it('reads and checks the config element', () => {
    const el = document.createElement('script');
    el.type = 'application/json';
    el.id = 'vf-config';
    el.textContent = JSON.stringify({
      resourceId: 'r1',
      parentOrigin: 'https://shop.example',
      instance: 'i1',
      lang: 'xx',
      theme: 'neon',
      authMethod: 'otp',
      resourceName: 'Shop',
    });
    document.body.append(el);
    try {
      expect(readConfig()).to.deep.include({
        resourceId: 'r1',
        parentOrigin: 'https://shop.example',
        instance: 'i1',
        lang: 'auto',
        theme: 'auto',
        authMethod: 'otp',
      });
      el.textContent = '{not json';
      expect(readConfig()).to.equal(null);
      el.type = 'text/plain';
      el.textContent = JSON.stringify({ resourceId: 'r1', parentOrigin: 'https://shop.example', instance: 'i1' });
      expect(readConfig()).to.equal(null);
    } finally {
      el.remove();
    }
    for (const parentOrigin of ['https://shop.example/', 'https://shop.example/path', '*', 'null', 'javascript:alert(1)', 42]) {
      expect(parseConfig({ resourceId: 'r1', instance: 'i1', parentOrigin }), String(parentOrigin)).to.equal(null);
    }
    expect(parseConfig({ resourceId: 'r 1', instance: 'i1', parentOrigin: 'https://a.example' })).to.equal(null);
  });
});
