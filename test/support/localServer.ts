import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type RecordedRequest = {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
};

export type Handler = (request: RecordedRequest, response: ServerResponse) => void;

export type LocalServer = {
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  close: () => Promise<void>;
};

/**
 * A hand-written HTTP server on 127.0.0.1 and a free port that records every request and lets the
 * handler answer it (or not). close() also destroys open sockets, so a handler that never answers
 * does not keep the test run alive. Only for the tests of the HTTP client (src/shared/http.ts),
 * which are about any server's statuses, resets, hangs and redirects; every test of Salesforce's
 * answers runs against the fake org (test/fake-org/).
 */
export const startServer = async (handler: Handler): Promise<LocalServer> => {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      requests.push(recorded);
      handler(recorded, res);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => resolve());
      }),
  };
};

/** Answers with a JSON body. */
export const sendJson = (response: ServerResponse, status: number, body: unknown): void => {
  response.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
  response.end(JSON.stringify(body));
};
