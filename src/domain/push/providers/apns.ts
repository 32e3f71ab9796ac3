import { connect, type ClientHttp2Session } from 'node:http2';
import { createHash } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import type { PushSettings } from '../../../config.js';
import { describeError, parseJson, trustedCas } from './http.js';
import { ENVIRONMENT, type Credential, type Notification, type Outcome, type Provider } from './types.js';

// Apple's token-based provider API: HTTP/2, POST /3/device/<token>, an ES256 JWT signed with the
// .p8 key (kid = key id, iss = team id), refreshed within the hour Apple accepts.
const TOKEN_LIFETIME_MS = 50 * 60 * 1000;

/** Answers that mean the token is no longer the app's (the device's token is dropped). */
const GONE = new Set(['BadDeviceToken', 'Unregistered', 'DeviceTokenNotForTopic']);

export function apnsProvider(settings: PushSettings): Provider {
  const ca = trustedCas(settings);
  const sessions = new Map<string, ClientHttp2Session>();
  const tokens = new Map<string, { jwt: string; at: number }>();

  function session(origin: string): ClientHttp2Session {
    const open = sessions.get(origin);
    if (open && !open.closed && !open.destroyed) return open;
    const created = connect(origin, ca ? { ca } : {});
    created.on('error', () => sessions.delete(origin));
    created.on('close', () => sessions.delete(origin));
    created.on('goaway', () => sessions.delete(origin));
    created.unref();
    sessions.set(origin, created);
    return created;
  }

  const cacheKey = (c: Credential) => createHash('sha256').update(`${c.appKey}\0${c.appSecret}\0${c.certificate}`).digest('hex');

  async function providerToken(c: Credential, fresh = false): Promise<string> {
    const key = cacheKey(c);
    const cached = tokens.get(key);
    if (!fresh && cached && Date.now() - cached.at < TOKEN_LIFETIME_MS) return cached.jwt;
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: c.appKey })
      .setIssuer(c.appSecret)
      .setIssuedAt()
      .sign(await importPKCS8(c.certificate, 'ES256'));
    tokens.set(key, { jwt, at: Date.now() });
    return jwt;
  }

  function request(origin: string, path: string, headers: Record<string, string>, body: string) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const stream = session(origin).request({ ':method': 'POST', ':path': path, ...headers });
      stream.setTimeout(settings.timeoutMs, () => stream.close());
      let status = 0;
      const chunks: Buffer[] = [];
      stream.on('response', (h) => (status = Number(h[':status'])));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      const noAnswer = () => reject(new Error(`APNs did not answer within ${settings.timeoutMs} ms`));
      stream.on('end', () => (status === 0 ? noAnswer() : resolve({ status, body: Buffer.concat(chunks).toString('utf8') })));
      stream.on('close', () => status === 0 && noAnswer());
      stream.on('error', reject);
      stream.end(body);
    });
  }

  return {
    async check(c) {
      if (!c.providerAppId) throw new Error('APNs needs the bundle id (apns-topic) as the provider app id');
      if (!/^[A-Z0-9]{10}$/.test(c.appKey)) throw new Error('APNs needs the 10-character key id of the .p8 key as the app key');
      if (!/^[A-Z0-9]{10}$/.test(c.appSecret)) throw new Error('APNs needs the 10-character team id as the app secret');
      try {
        await importPKCS8(c.certificate, 'ES256');
      } catch {
        throw new Error('the certificate must be the .p8 key (an EC P-256 private key in PEM) downloaded from Apple');
      }
    },

    async send(c, token, n) {
      const origin = c.environment === ENVIRONMENT.DEVELOPMENT ? settings.urls.apnsSandbox : settings.urls.apns;
      const headers: Record<string, string> = {
        authorization: `bearer ${await providerToken(c)}`,
        'apns-topic': c.providerAppId,
        'apns-push-type': n.kind === 'alert' ? 'alert' : 'background',
        'apns-priority': n.kind === 'alert' ? '10' : '5',
        'content-type': 'application/json',
      };
      if (n.collapseId) headers['apns-collapse-id'] = n.collapseId.slice(0, 64);
      if (n.expiresAt) headers['apns-expiration'] = String(Math.floor(n.expiresAt / 1000));
      const path = `/3/device/${encodeURIComponent(token)}`;
      const body = JSON.stringify(apnsPayload(n));
      try {
        let answer = await request(origin, path, headers, body);
        if (answer.status === 403 && parseJson(answer.body)?.reason === 'ExpiredProviderToken') {
          headers.authorization = `bearer ${await providerToken(c, true)}`;
          answer = await request(origin, path, headers, body);
        }
        return outcomeOf(answer.status, parseJson(answer.body)?.reason);
      } catch (error) {
        return { status: 'retry', error: describeError(error) };
      }
    },

    close() {
      for (const s of sessions.values()) s.close();
      sessions.clear();
    },
  };
}

function outcomeOf(status: number, reason: string | undefined): Outcome {
  if (status === 200) return { status: 'sent' };
  const error = `APNs ${status}${reason ? ` ${reason}` : ''}`;
  if (status === 410 || (reason && GONE.has(reason))) return { status: 'unregistered', error };
  if (status === 429 || status >= 500) return { status: 'retry', error };
  return { status: 'failed', error };
}

/** The JSON body Apple documents: `aps` for the system, the app's data beside it. */
export function apnsPayload(n: Notification) {
  const aps: Record<string, unknown> = {};
  if (n.kind === 'alert') {
    aps['alert'] = { title: n.title, body: n.bigText || n.body, ...(n.subtitle && { subtitle: n.subtitle }) };
    if (n.sound) aps['sound'] = n.sound;
  }
  if (n.badge !== null) aps['badge'] = n.badge;
  if (n.threadId) aps['thread-id'] = n.threadId;
  if (n.category) aps['category'] = n.category;
  if (n.mutableContent || n.imageUrl) aps['mutable-content'] = 1;
  if (n.contentAvailable || n.kind === 'background') aps['content-available'] = 1;
  return { ...n.data, ...(n.imageUrl && { attachment_url: n.imageUrl }), aps };
}
