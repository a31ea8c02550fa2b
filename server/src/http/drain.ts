import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import net from 'node:net';

// Graceful close of an HTTP server (DESIGN §15): stop accepting, finish every request in flight,
// and close keep-alive connections without cutting a request off.
//
// Node's own `server.close()` also closes every idle keep-alive connection at once. A client
// that is writing its next request on such a connection at that instant (under load there is
// always one) gets a reset instead of an answer. So the listening socket alone is closed; every
// response from then on carries `Connection: close`, after which the client opens a new
// connection (refused, so it knows to go elsewhere); and an idle connection is closed by us only
// once it has been idle for the keep-alive time the server advertises (`Keep-Alive: timeout=5`,
// Node's `keepAliveTimeout`). A client honours that hint with a margin (undici drops an idle
// socket a second before it), so by then it has stopped using the connection; closing it
// earlier was a measured race: under load a client picked a long-idle pooled connection at the
// instant the drain closed it, and got ECONNRESET. At the deadline whatever is left is closed.

/** Idle time after which a draining server closes a connection: what it advertised. */
export function idleCloseMs(server: Server): number {
  return server.keepAliveTimeout > 0 ? server.keepAliveTimeout : 5_000;
}

interface Tracker {
  /** Requests in progress per connection. */
  busy: Map<net.Socket, number>;
  /** When each connection without a request in progress became idle. */
  idleSince: Map<net.Socket, number>;
  responses: Set<ServerResponse>;
  draining: boolean;
}

const trackers = new WeakMap<Server, Tracker>();

/** Starts tracking connections and requests of `server`; call before it accepts any. */
export function trackConnections(server: Server): void {
  const t: Tracker = { busy: new Map(), idleSince: new Map(), responses: new Set(), draining: false };
  trackers.set(server, t);
  server.on('connection', (socket: net.Socket) => {
    t.idleSince.set(socket, Date.now());
    socket.once('close', () => {
      t.idleSince.delete(socket);
      t.busy.delete(socket);
    });
  });
  // Ahead of the application's listener, so the header is set before anything is written.
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    t.idleSince.delete(socket);
    t.busy.set(socket, (t.busy.get(socket) ?? 0) + 1);
    t.responses.add(res);
    if (t.draining) res.setHeader('connection', 'close');
    res.once('close', () => {
      t.responses.delete(res);
      const left = (t.busy.get(socket) ?? 1) - 1;
      if (left > 0) return void t.busy.set(socket, left);
      t.busy.delete(socket);
      if (!socket.destroyed) t.idleSince.set(socket, Date.now());
    });
  });
}

/**
 * Stops accepting connections and resolves once every connection is closed: busy ones after
 * their last response, idle ones after the advertised keep-alive time, all of them at `graceMs` at the latest.
 */
export async function drainServer(server: Server, graceMs: number): Promise<void> {
  const t = trackers.get(server);
  if (!t) {
    // Not tracked (a server made elsewhere): Node's close, idle connections at once.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs).unref();
    await closed;
    clearTimeout(deadline);
    return;
  }
  t.draining = true;
  for (const res of t.responses) if (!res.headersSent) res.setHeader('connection', 'close');
  // net.Server's close: stop listening, resolve when the last connection has ended.
  const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
  // A connection is closed at the second sweep that finds it idle long enough with nothing read
  // in between. Timers run before pending socket reads: after the event loop was blocked (the
  // embedded database works on it), a request may be waiting unread on a connection that looks
  // idle by the clock; the read phase between two sweeps turns it busy first.
  const idleMs = idleCloseMs(server);
  let candidates = new Map<net.Socket, number>();
  const closeIdle = () => {
    const now = Date.now();
    const next = new Map<net.Socket, number>();
    for (const [socket, since] of t.idleSince) {
      if (now - since < idleMs) continue;
      if (candidates.get(socket) === socket.bytesRead) socket.destroy();
      else next.set(socket, socket.bytesRead);
    }
    candidates = next;
  };
  closeIdle();
  const sweeper = setInterval(closeIdle, 100).unref();
  const deadline = setTimeout(() => server.closeAllConnections(), graceMs).unref();
  try {
    await closed;
  } finally {
    clearInterval(sweeper);
    clearTimeout(deadline);
  }
}
