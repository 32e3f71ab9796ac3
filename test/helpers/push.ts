import { generateKeyPairSync } from 'node:crypto';
import { createServer as createHttpServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { createSecureServer, type IncomingHttpHeaders as Http2Headers } from 'node:http2';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

/** A request a fake provider received. */
export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  json: any;
}

export type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

/** Requests in arrival order; `next()` waits for the next one. */
class Inbox {
  readonly all: Received[] = [];
  private read = 0;
  private waiters: (() => void)[] = [];

  push(r: Received) {
    this.all.push(r);
    this.waiters.splice(0).forEach((w) => w());
  }

  async next(): Promise<Received> {
    while (this.read >= this.all.length) await new Promise<void>((r) => this.waiters.push(r));
    return this.all[this.read++]!;
  }

  /** Waits until `predicate` holds for what has arrived. */
  async until(predicate: (all: Received[]) => boolean): Promise<void> {
    while (!predicate(this.all)) await new Promise<void>((r) => this.waiters.push(r));
  }

  /** Forgets what arrived (the next `next()` waits for a new request). */
  skip() {
    this.read = this.all.length;
  }
}

const plain = (headers: IncomingHttpHeaders | Http2Headers) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));

const parse = (text: string) => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** An APNs key as Apple hands it out (.p8: PKCS#8 EC P-256), with its public half to verify tokens. */
export function apnsKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { p8: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, publicKey };
}

/** A Firebase service account JSON key, pointing its token_uri at `tokenUrl`. */
export function serviceAccount(tokenUrl: string, projectId = 'demo-project') {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const json = JSON.stringify({
    type: 'service_account',
    project_id: projectId,
    private_key_id: 'k1',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    client_email: `push@${projectId}.iam.gserviceaccount.com`,
    client_id: '1',
    token_uri: tokenUrl,
  });
  return { json, publicKey, clientEmail: `push@${projectId}.iam.gserviceaccount.com` };
}

/**
 * APNs as Apple serves it: HTTP/2 over TLS (a self-signed certificate made here; `caFile` is it,
 * for PUSH_CA_FILE). Answers 200 with an apns-id unless `answer` says otherwise.
 */
export async function fakeApns() {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] }],
  } as never);
  const dir = await mkdtemp(join(tmpdir(), 'fake-apns-'));
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, pems.cert);
  const inbox = new Inbox();
  let answer: (r: Received) => Answer = () => ({ status: 200 });
  let id = 0;
  const hanging = new Set<() => void>();
  const server = createSecureServer({ key: pems.private, cert: pems.cert, allowHTTP1: false });
  // A client killed mid-request (the kill -9 tests) resets its connection: to a provider that is
  // the client's business, so the fake shrugs it off as APNs does instead of throwing it at the test.
  server.on('session', (session) => session.on('error', () => {}));
  server.on('stream', (stream, headers) => {
    stream.on('error', () => {});
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const received: Received = { path: String(headers[':path']), headers: plain(headers), body, json: parse(body) };
      const reply = answer(received);
      inbox.push(received);
      if (reply === 'hang') {
        hanging.add(() => stream.close());
        return;
      }
      stream.respond({ ':status': reply.status, 'apns-id': `00000000-0000-0000-0000-${String(++id).padStart(12, '0')}`, ...reply.headers });
      stream.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    caFile,
    inbox,
    answer(f: (r: Received) => Answer) {
      answer = f;
    },
    /** Ends the requests held by a 'hang' answer. */
    release() {
      hanging.forEach((end) => end());
      hanging.clear();
    },
    close: () =>
      new Promise<void>((r) => {
        hanging.forEach((end) => end());
        server.close(() => r());
        for (const s of (server as unknown as { sessions?: Set<{ destroy(): void }> }).sessions ?? []) s.destroy();
      }),
  };
}

/**
 * A plain HTTP server that records each request in `inbox` and answers what `answer` says;
 * `route` may answer a request itself first (answers true), unrecorded in `inbox`.
 */
async function recordingServer(initial: (r: Received) => Answer, route: (r: Received, res: ServerResponse) => boolean = () => false) {
  const inbox = new Inbox();
  let answer = initial;
  const server = createHttpServer((req, res) => {
    req.on('error', () => {}); // a client killed mid-request: see the APNs fake
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const received: Received = { path: req.url ?? '', headers: plain(req.headers), body, json: parse(body) };
      if (route(received, res)) return;
      const reply = answer(received);
      inbox.push(received);
      if (reply === 'hang') return;
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body ?? {}));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    inbox,
    answer(f: (r: Received) => Answer) {
      answer = f;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** FCM HTTP v1 and Google's OAuth token endpoint, over plain HTTP. */
export async function fakeFcm() {
  const tokens = new Inbox();
  let issued = 0;
  const fake = await recordingServer(
    () => ({ status: 200, body: { name: 'projects/demo-project/messages/1' } }),
    (received, res) => {
      if (received.path !== '/token') return false;
      tokens.push(received);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: `ya29.test-${++issued}`, expires_in: 3600, token_type: 'Bearer' }));
      return true;
    },
  );
  return { ...fake, tokenUrl: `${fake.url}/token`, tokens };
}

/** An app server's webhook receiver: plain HTTP, answering what `answer` says (200 by default). */
export function fakeWebhookReceiver() {
  return recordingServer(() => ({ status: 200 }));
}
