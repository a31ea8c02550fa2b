import net from 'node:net';

// A TCP proxy on 127.0.0.1 for partition tests. cut() destroys every connection through it and
// refuses new ones (a partition or failover the client is told about); freeze() keeps every
// connection open but lets nothing through, and takes new ones without answering (a network
// that silently drops packets: no error, no answer); restore() lets connections through again
// on the same port, ending those that were frozen.

export interface TcpProxy {
  port: number;
  cut(): Promise<void>;
  freeze(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, port = 0): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let frozen = false;
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  };
  const open = (p: number) =>
    new Promise<number>((resolve, reject) => {
      const srv = net.createServer((client) => {
        track(client);
        if (frozen) return;
        const upstream = net.connect(targetPort, '127.0.0.1');
        track(upstream);
        client.on('data', (d) => frozen || upstream.write(d));
        upstream.on('data', (d) => frozen || client.write(d));
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      srv.once('error', reject);
      srv.listen(p, '127.0.0.1', () => {
        server = srv;
        resolve((srv.address() as net.AddressInfo).port);
      });
    });
  const shut = async () => {
    const srv = server;
    server = undefined;
    for (const s of sockets) s.destroy();
    if (srv) await new Promise<void>((resolve) => srv.close(() => resolve()));
  };
  const actual = await open(port);
  return {
    port: actual,
    cut: shut,
    freeze: async () => {
      frozen = true;
    },
    restore: async () => {
      if (frozen) {
        frozen = false;
        for (const s of sockets) s.destroy();
      }
      if (!server) await open(actual);
    },
    close: async () => {
      frozen = false;
      await shut();
    },
  };
}
