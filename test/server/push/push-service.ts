import { createECDH, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import selfsigned from 'selfsigned';

// A Web Push service as the browsers' are one (RFC 8030), in process on 127.0.0.1: HTTPS with a
// certificate made for the test run, taking each POST to /push/{id} and answering 201 (or what
// the test chose). It keeps what it received so the test can check the VAPID header and decrypt
// the body as the browser would; and a subscriber (the browser's side of a subscription) whose
// keys the test holds. Nothing here is a mock of our code: the server sends through `web-push`
// over real TLS.

export interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface PushService {
  origin: string;
  /** An HTTPS agent that trusts this service's certificate (and only it). */
  agent: Agent;
  received: Received[];
  /** Status to answer for a path (default 201); a function may hold the answer back. */
  answer: Map<string, number | (() => Promise<number>)>;
  /** Resolves with the next request to `path` as soon as its body has arrived. */
  next(path: string): Promise<Received>;
  close(): Promise<void>;
}

export async function startPushService(): Promise<PushService> {
  // A certificate for 127.0.0.1 made in process (no openssl binary needed), trusted by the agent.
  const pems = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  const key = pems.private;
  const cert = pems.cert;

  const received: Received[] = [];
  const answer: PushService['answer'] = new Map();
  const waiting = new Map<string, ((r: Received) => void)[]>();
  const server: Server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      received.push(r);
      for (const resolve of waiting.get(r.path) ?? []) resolve(r);
      waiting.delete(r.path);
      const chosen = answer.get(r.path) ?? 201;
      void Promise.resolve(typeof chosen === 'function' ? chosen() : chosen).then((status) => {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(status < 300 ? '' : 'push service says no');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new Agent({ ca: cert, keepAlive: false });
  return {
    origin,
    agent,
    received,
    answer,
    next: (p) =>
      new Promise((resolve) => {
        waiting.set(p, [...(waiting.get(p) ?? []), resolve]);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The browser's side of a subscription: its ECDH P-256 key pair and auth secret. */
export function subscriber(service: PushService) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  const id = randomBytes(12).toString('base64url');
  return {
    path: `/push/${id}`,
    endpoint: `${service.origin}/push/${id}`,
    p256dh: ecdh.getPublicKey('base64url', 'uncompressed'),
    auth: auth.toString('base64url'),
    /** RFC 8291 + RFC 8188 (aes128gcm), as the browser decrypts a message: node:crypto only. */
    decrypt(body: Buffer): string {
      const salt = body.subarray(0, 16);
      const rs = body.readUInt32BE(16);
      const idlen = body[20]!;
      const senderPublic = body.subarray(21, 21 + idlen);
      const ciphertext = body.subarray(21 + idlen);
      if (idlen !== 65 || ciphertext.length > rs) throw new Error(`unexpected header: idlen ${idlen}, rs ${rs}, ${ciphertext.length} bytes`);
      const shared = ecdh.computeSecret(senderPublic);
      const info = Buffer.concat([Buffer.from('WebPush: info\0'), ecdh.getPublicKey(), senderPublic]);
      const ikm = Buffer.from(hkdfSync('sha256', shared, auth, info, 32));
      const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
      const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
      const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
      decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
      const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
      // The last record ends with the delimiter 0x02 and any number of zero bytes.
      let end = padded.length - 1;
      while (end >= 0 && padded[end] === 0) end--;
      if (padded[end] !== 2) throw new Error('no last-record delimiter');
      return padded.subarray(0, end).toString('utf8');
    },
  };
}
