import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export type ConnectProxy = {
  /** http://127.0.0.1:PORT */
  url: string;
  /** What each CONNECT asked for: the target and the Proxy-Authorization header. */
  connects: Array<{ target: string; authorization?: string }>;
  close: () => Promise<void>;
};

/**
 * A minimal HTTP proxy that only tunnels (CONNECT), as corporate proxies do for https: it answers
 * with the given status instead of opening the tunnel when `answer` is not 200, and connects a
 * tunnel where `upstreamFor` says (so that a host no test can reach answers through the proxy
 * only). The end-to-end tests use a real tinyproxy; this one lets unit tests see the CONNECT itself.
 */
export const startConnectProxy = async (answer = 200, upstreamFor?: (target: string) => { host: string; port: number }): Promise<ConnectProxy> => {
  const connects: ConnectProxy['connects'] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req: IncomingMessage, client: Socket) => {
    connects.push({ target: req.url ?? '', authorization: req.headers['proxy-authorization'] });
    if (answer !== 200) {
      client.end(`HTTP/1.1 ${answer} Refused\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const [targetHost, targetPort] = (req.url ?? '').split(':');
    const { host, port } = upstreamFor?.(req.url ?? '') ?? { host: targetHost, port: Number(targetPort) };
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => resolve());
      }),
  };
};
