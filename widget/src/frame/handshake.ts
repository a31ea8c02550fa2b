// The iframe's side of the handshake (DESIGN §7.2). The hello is the one message the app takes
// from `window`; it must come from the parent window, from exactly the origin the server
// validated, be a well-formed hello for this instance, and carry one port. Everything after it
// goes over that port, so no other window or origin can talk to the app.
import { parseHello, type FrameConfig, type HelloMessage } from '../../../shared/protocol.js';

export interface Handshake {
  port: MessagePort;
  hello: HelloMessage;
}

/** The accepted handshake, or null. `parent` is `window.parent` except in tests. */
export function acceptHello(event: MessageEvent, config: Pick<FrameConfig, 'parentOrigin' | 'instance'>, parent: unknown): Handshake | null {
  if (event.source === null || event.source !== parent) return null;
  if (event.origin !== config.parentOrigin) return null;
  const hello = parseHello(event.data);
  if (!hello || hello.instance !== config.instance) return null;
  const port = event.ports[0];
  if (!port || event.ports.length !== 1) return null;
  return { port, hello };
}

/**
 * Waits for the first acceptable hello on `target` and hands it over; later hellos are ignored
 * (one document, one port). Returns a function that stops listening.
 */
export function listenForHello(
  target: Window,
  config: Pick<FrameConfig, 'parentOrigin' | 'instance'>,
  onHello: (handshake: Handshake) => void,
  parent: unknown = target.parent,
): () => void {
  const listener = (event: MessageEvent) => {
    const handshake = acceptHello(event, config, parent);
    if (!handshake) return;
    stop();
    onHello(handshake);
  };
  const stop = () => target.removeEventListener('message', listener);
  target.addEventListener('message', listener);
  return stop;
}
