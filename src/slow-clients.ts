import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Cuts a client that sends its request body too slowly (a slow-body attack holds a connection and
 * a handler with a byte now and then). A body must arrive whole within `seconds`; an upload of
 * the file routes may take longer, but no gap between its bytes may last that long. Headers are
 * Node's to time (the server's headersTimeout).
 */
export function cutSlowBody(req: IncomingMessage, res: ServerResponse, seconds: number, upload: boolean) {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!hasBody || req.complete) return;
  const socket = req.socket;
  const cut = () => socket.destroy();
  let timer: NodeJS.Timeout | undefined;
  if (upload) socket.setTimeout(seconds * 1000, cut);
  else timer = setTimeout(cut, seconds * 1000);
  const done = () => {
    clearTimeout(timer);
    if (upload) socket.setTimeout(0).off('timeout', cut);
  };
  req.once('end', done);
  res.once('close', done);
}
