/**
 * A local FCM for the push benchmark, speaking what the server speaks to Google: the OAuth 2.0
 * token endpoint (a JWT-bearer grant answered with an access token) and HTTP v1
 * `POST /v1/projects/<project>/messages:send`. It answers every send late (`delayMs`) and a share
 * of them with 500 (`errorRate`), as a struggling provider does, and counts what it got.
 * Nothing leaves the machine: it listens on 127.0.0.1.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeFcm {
  url: string;
  /** The service-account JSON key the app's FCM credentials carry (token_uri points here). */
  serviceAccount: string;
  /** Sends received, token exchanges, sends answered 500. */
  counts: { sends: number; tokens: number; errors: number };
  close(): Promise<void>;
}

export async function fakeFcm(options: { delayMs: number; errorRate: number }): Promise<FakeFcm> {
  const counts = { sends: 0, tokens: 0, errors: 0 };
  let answered = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
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
