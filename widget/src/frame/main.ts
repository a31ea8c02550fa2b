// Entry of the app inside the Veriframe iframe (built to dist/widget/frame.js). The server's page
// holds the configuration as JSON in #vf-config; the app then waits for the loader's hello and
// does everything else over the port it carries.
import { readConfig } from './config.js';
import { listenForHello } from './handshake.js';
import './vf-app.js';

export { VfApp } from './vf-app.js';
export { VfCodeInput } from './vf-code-input.js';

function boot(): void {
  const config = readConfig();
  if (!config) {
    // Nothing safe to do without knowing the parent origin: no handshake is ever accepted.
    console.error('veriframe: missing or invalid #vf-config');
    return;
  }
  const app = document.querySelector('vf-app') ?? document.body.appendChild(document.createElement('vf-app'));
  app.config = config;
  // The page's height is the app's height (the loader sizes the iframe from `resize`).
  document.body.style.margin = '0';
  listenForHello(window, config, ({ port, hello }) => app.connect(port, hello.nonce));
}

boot();
