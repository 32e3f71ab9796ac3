import { importPKCS8, SignJWT } from 'jose';
import type { PushSettings } from '../../../config.js';
import { describeError, parseJson, post, trustedCas } from './http.js';
import type { Credential, Notification, Outcome, Provider } from './types.js';

// FCM HTTP v1: an OAuth 2.0 access token from the service account (a JWT bearer grant signed
// RS256 with its private key), then POST /v1/projects/<project>/messages:send.
const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';

interface ServiceAccount {
  project_id: string;
  client_email: string;
  private_key: string;
  token_uri: string;
}

export function parseServiceAccount(text: string): ServiceAccount {
  const json = parseJson(text);
  if (typeof json !== 'object' || json === null) throw new Error('the certificate must be the service-account JSON key file from the Firebase console');
  for (const field of ['project_id', 'client_email', 'private_key'] as const) {
    if (typeof json[field] !== 'string' || json[field] === '') throw new Error(`the service-account JSON has no ${field}`);
  }
  return { ...json, token_uri: typeof json.token_uri === 'string' ? json.token_uri : 'https://oauth2.googleapis.com/token' };
}

export function fcmProvider(settings: PushSettings): Provider {
  const ca = trustedCas(settings);
  const tokens = new Map<string, { token: string; expiresAt: number }>();

  async function accessToken(account: ServiceAccount, fresh = false): Promise<string> {
    const cached = tokens.get(account.client_email);
    if (!fresh && cached && cached.expiresAt - Date.now() > 60_000) return cached.token;
    const tokenUrl = settings.urls.fcmToken ?? account.token_uri;
    const assertion = await new SignJWT({ scope: SCOPE })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuer(account.client_email)
      .setAudience(tokenUrl)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(await importPKCS8(account.private_key, 'RS256'));
    const answer = await post(
      settings,
      ca,
      tokenUrl,
      { 'content-type': 'application/x-www-form-urlencoded' },
      new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
    );
    const json = parseJson(answer.body);
    if (answer.status !== 200 || typeof json?.access_token !== 'string') {
      throw new TokenError(`FCM token exchange answered ${answer.status}${json?.error ? ` ${json.error}` : ''}`, answer.status);
    }
    tokens.set(account.client_email, { token: json.access_token, expiresAt: Date.now() + Number(json.expires_in ?? 3600) * 1000 });
    return json.access_token;
  }

  return {
    async check(c) {
      const account = parseServiceAccount(c.certificate);
      try {
        await importPKCS8(account.private_key, 'RS256');
      } catch {
        throw new Error('the service-account private_key is not an RSA private key in PEM');
      }
    },

    async send(c, token, n) {
      const account = parseServiceAccount(c.certificate);
      const project = c.providerAppId || account.project_id;
      const url = `${settings.urls.fcm}/v1/projects/${encodeURIComponent(project)}/messages:send`;
      const body = JSON.stringify({ message: fcmMessage(token, n) });
      try {
        let answer = await post(settings, ca, url, { authorization: `Bearer ${await accessToken(account)}`, 'content-type': 'application/json' }, body);
        if (answer.status === 401) {
          answer = await post(settings, ca, url, { authorization: `Bearer ${await accessToken(account, true)}`, 'content-type': 'application/json' }, body);
        }
        return outcomeOf(answer.status, parseJson(answer.body));
      } catch (error) {
        if (error instanceof TokenError && error.status >= 400 && error.status < 500 && error.status !== 429) {
          return { status: 'failed', error: error.message };
        }
        return { status: 'retry', error: describeError(error) };
      }
    },
  };
}

class TokenError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

function outcomeOf(status: number, json: any): Outcome {
  if (status === 200) return { status: 'sent' };
  const code: string | undefined =
    json?.error?.details?.find((d: any) => typeof d?.errorCode === 'string')?.errorCode ?? json?.error?.status;
  const error = `FCM ${status}${code ? ` ${code}` : ''}`;
  if (code === 'UNREGISTERED' || status === 404) return { status: 'unregistered', error };
  if (code === 'INVALID_ARGUMENT' && /token/i.test(String(json?.error?.message ?? ''))) return { status: 'unregistered', error };
  if (status === 429 || status >= 500) return { status: 'retry', error };
  return { status: 'failed', error };
}

/** The v1 `message` object: notification for display, android and apns blocks for each platform. */
export function fcmMessage(token: string, n: Notification) {
  const android: Record<string, unknown> = { priority: n.kind === 'alert' ? 'high' : 'normal' };
  if (n.collapseId) android['collapse_key'] = n.collapseId;
  if (n.expiresAt) android['ttl'] = `${Math.max(0, Math.floor((n.expiresAt - Date.now()) / 1000))}s`;
  const message: Record<string, unknown> = { token, data: n.data, android };
  if (n.kind === 'alert') {
    message['notification'] = { title: n.title, body: n.bigText || n.body, ...(n.imageUrl && { image: n.imageUrl }) };
    android['notification'] = {
      ...(n.collapseId && { tag: n.collapseId }),
      ...(n.sound ? { sound: n.sound } : {}),
      ...(n.channelId && { channel_id: n.channelId }),
      ...(n.clickAction && { click_action: n.clickAction }),
      ...(n.badge !== null && { notification_count: n.badge }),
    };
  }
  return message;
}
