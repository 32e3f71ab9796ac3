/**
 * A local FCM for the push benchmark, speaking what the server speaks to Google: the OAuth 2.0
 * token endpoint (a JWT-bearer grant answered with an access token) and HTTP v1
 * `POST /v1/projects/<project>/messages:send`. It answers every send late (`delayMs`) and a share
 * of them with 500 (`errorRate`), as a struggling provider does, and counts what it got.
 * Nothing leaves the machine: it listens on 127.0.0.1.
 *
 * It runs in a process of its own (this file is its entry point too): in the load generator's
 * process its work would slow the load clients, and push-on would measure the bench, not the server.
 */
import { fork } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { lowerPriority } from '../../src/push-process.js';

export interface FakeFcm {
  url: string;
  /** The service-account JSON key the app's FCM credentials carry (token_uri points here). */
  serviceAccount: string;
  /** Sends received, token exchanges, sends answered 500 (as of the last refresh()). */
  counts: { sends: number; tokens: number; errors: number };
  /** Reads the counts from the fake's process. */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the fake in its own process. */
export async function fakeFcm(options: { delayMs: number; errorRate: number }): Promise<FakeFcm> {
  const child = fork(fileURLToPath(import.meta.url), [String(options.delayMs), String(options.errorRate)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
  // It stands in for Google's servers, which take none of this machine's CPU: it runs at the
  // lowest priority in a scheduling group of its own, so its work (a few hundred requests a
  // second, parsing and answering) comes out of idle time, not out of the server's or the load
  // clients'. Under load it answers later, as a busy provider would.
  lowerPriority(child.pid!, 19);
  const started = await new Promise<{ url: string; serviceAccount: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string; serviceAccount: string }));
    child.once('exit', (code) => reject(new Error(`the fake FCM exited with ${code}`)));
  });
  const counts = { sends: 0, tokens: 0, errors: 0 };
  return {
    ...started,
    counts,
    refresh: async () => {
      const res = await fetch(`${started.url}/counts`);
      Object.assign(counts, await res.json());
    },
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const fake = await serve({ delayMs: Number(process.argv[2]), errorRate: Number(process.argv[3]) });
  process.send!({ url: fake.url, serviceAccount: fake.serviceAccount });
  const stop = () => void fake.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  // Detached from the bench's session: it also goes when the bench does.
  process.once('disconnect', stop);
}

async function serve(options: { delayMs: number; errorRate: number }) {
  const counts = { sends: 0, tokens: 0, errors: 0 };
  let answered = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/counts') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(counts));
        return;
      }
      if (req.url === '/token') {
        counts.tokens++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: `ya29.bench-${counts.tokens}`, expires_in: 3600, token_type: 'Bearer' }));
        return;
      }
      counts.sends++;
      // Every 1/errorRate-th answer is a 500 (deterministic, so runs compare).
      const fail = options.errorRate > 0 && ++answered % Math.round(1 / options.errorRate) === 0;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (fail) counts.errors++;
        res.writeHead(fail ? 500 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(fail ? { error: { code: 500, status: 'INTERNAL', message: 'bench' } } : { name: 'projects/bench/messages/1' }));
      }, options.delayMs); // the provider's slowness under test
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serviceAccount = JSON.stringify({
    type: 'service_account',
    project_id: 'bench-project',
    private_key_id: 'bench',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    client_email: 'push@bench-project.iam.gserviceaccount.com',
    token_uri: `${url}/token`,
  });
  return {
    url,
    serviceAccount,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        timers.forEach(clearTimeout);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
