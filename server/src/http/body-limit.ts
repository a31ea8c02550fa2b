import { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { appError } from '../errors.js';

// Request bodies: refused over a size limit (413 payload_too_large), whatever the route. A JSON
// body that arrives through the Node adapter is read straight from Node's request stream into
// Hono's body cache, so `c.req.json()` needs no web Request: building one (with its
// AbortController and body stream) cost more than the rest of a small JSON request's handling
// in the adapter. Anything else goes through Hono's bodyLimit and the web Request, unchanged.

export const MAX_BODY_BYTES = 1024 * 1024;

const tooLarge = (maxSize: number) => appError('payload_too_large', { message: `The request body exceeds ${maxSize} bytes.` });

/** JSON is UTF-8 (RFC 8259); fetch's Request.text() decodes like this (BOM dropped, bad bytes replaced). */
const utf8 = new TextDecoder();

/** The whole body of `incoming` as text and its size in bytes, refused past `maxSize` bytes without keeping more. */
function readBody(incoming: IncomingMessage, maxSize: number): Promise<{ text: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    if (Number(incoming.headers['content-length']) > maxSize) return reject(tooLarge(maxSize));
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err?: unknown) => {
      incoming.off('data', onData).off('end', onEnd).off('error', done).off('close', onClose);
      if (err) {
        // The rest is drained and dropped, so the connection can answer the refusal.
        incoming.resume();
        reject(err);
      } else {
        resolve({ text: utf8.decode(Buffer.concat(chunks, size)), bytes: size });
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxSize) done(tooLarge(maxSize));
      else chunks.push(chunk);
    };
    const onEnd = () => done();
    const onClose = () => done(appError('invalid_request', { message: 'The request body was cut off.' }));
    incoming.on('data', onData).on('end', onEnd).on('error', done).on('close', onClose);
  });
}

const isJson = (contentType: string | undefined) => contentType !== undefined && /^application\/json\s*(;|$)/i.test(contentType);

/**
 * The Node request behind `c`, when the Node adapter serves it (c.env of @hono/node-server; tests
 * pass a bare socket address there) and nothing has started reading its body (a web Request
 * made from it earlier would own the stream).
 */
const unreadIncoming = (c: Context): IncomingMessage | undefined => {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  if (!(incoming instanceof IncomingMessage)) return undefined;
  return incoming.readableDidRead || incoming.listenerCount('data') > 0 ? undefined : incoming;
};

/** The bodies read here, by request, with their size as received (for a route's own, smaller limit). */
const bodies = new WeakMap<object, Promise<{ text: string; bytes: number }>>();

export function limitBody(maxSize = MAX_BODY_BYTES): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize,
    onError: () => {
      throw tooLarge(maxSize);
    },
  });
  return async (c, next) => {
    // A GET or HEAD has no body (fetch's Request refuses one): nothing to read or build.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    // Read already by an outer limit (the app-wide one): this route's own limit still applies.
    const read = bodies.get(c.req);
    if (read) {
      if ((await read).bytes > maxSize) throw tooLarge(maxSize);
      return next();
    }
    const incoming = unreadIncoming(c);
    if (!incoming || !isJson(c.req.header('content-type'))) return limit(c, next);
    const body = readBody(incoming, maxSize);
    bodies.set(c.req, body);
    const { text } = await body;
    // Hono keeps promises there at run time (request.js #cachedBody), whatever its type says.
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
    return next();
  };
}
