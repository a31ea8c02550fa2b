/// <reference types="mocha" />
// The entry as the iframe page runs it: config from #vf-config, a real hello from the parent
// (here the test page is its own parent: window.parent === window), then the app over the port.
import { expect, waitUntil } from '@open-wc/testing';
import type { FrameMessage } from '../../../shared/protocol.js';
import { deep, mockApi, startAnswer } from './helpers.js';

describe('main.ts', () => {
  it('boots <vf-app> from #vf-config and connects on the first valid hello only', async () => {
    const api = mockApi({ start: startAnswer() });
    const config = document.createElement('script');
    config.type = 'application/json';
    config.id = 'vf-config';
    config.textContent = JSON.stringify({
      resourceId: 'res_1',
      parentOrigin: location.origin,
      instance: 'inst_main',
      lang: 'es',
      theme: 'dark',
      authMethod: 'password+otp',
      resourceName: 'Tienda',
    });
    document.head.append(config);
    try {
      await import('../../../widget/src/frame/main.js');
      const app = document.querySelector('vf-app')!;
      expect(app).to.not.equal(null);
      expect(app.getAttribute('theme')).to.equal('dark');

      const messages: FrameMessage[] = [];
      const wrong = new MessageChannel();
      wrong.port1.onmessage = (e) => messages.push(e.data as FrameMessage);
      window.postMessage({ v: 1, type: 'veriframe:hello', instance: 'inst_other', nonce: 'n_1' }, location.origin, [wrong.port2]);

      const right = new MessageChannel();
      right.port1.onmessage = (e) => messages.push(e.data as FrameMessage);
      window.postMessage({ v: 1, type: 'veriframe:hello', instance: 'inst_main', nonce: 'n_main' }, location.origin, [right.port2]);

      await waitUntil(() => deep(app, 'vf-identify'), 'the identify step should appear', { timeout: 3000 });
      expect(deep(app, 'h1')!.textContent).to.equal('Iniciar sesión en Tienda');
      expect(api.calls).to.deep.equal([{ path: 'start', body: { resourceId: 'res_1', origin: location.origin, nonce: 'n_main', instance: 'inst_main' } }]);
      await waitUntil(() => messages.some((m) => m.type === 'state'));
      expect(messages[0]).to.deep.equal({ v: 1, type: 'ready' });
      expect(document.body.style.margin).to.equal('0px');
    } finally {
      api.restore();
      config.remove();
    }
  });
});
