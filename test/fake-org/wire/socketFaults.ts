/**
 * Faults that act on the connection instead of the answer: the socket is reset, never answered,
 * answered a few bytes then left hanging, or flooded with an endless body.
 * Returns the fault's name for the request log when it took the request over, else undefined.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault } from '../types.js';

export function takeOverConnection(fault: Fault | undefined, req: IncomingMessage, res: ServerResponse): string | undefined {
  switch (fault?.kind) {
    case 'reset':
      req.socket.destroy();
      return 'reset';
    case 'hang':
      req.resume();
      return 'hang';
    case 'trickle':
      req.resume();
      res.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': '4096' });
      res.write('{"a');
      return 'trickle';
    case 'huge':
      req.resume();
      flood(res, fault.bytes);
      return 'huge';
    default:
      return undefined;
  }
}

/** About `bytes` of a JSON string that never closes, written as fast as the reader takes it. */
function flood(res: ServerResponse, bytes: number): void {
  res.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const pump = (): void => {
    while (sent < bytes && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.write('{"padding":"');
  pump();
}
