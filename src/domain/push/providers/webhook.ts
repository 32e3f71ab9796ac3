import type { PushSettings } from '../../../config.js';
import { signatureHeader } from '../signature.js';
import { describeError, post, trustedCas } from './http.js';
import { outcomeOfStatus, type Provider } from './types.js';

/**
 * The signed-webhook channel: the app's own server gets each notification (token and content) and
 * delivers it however it likes. A 2xx answer is delivery; 410 means the token is gone.
 */
export function webhookProvider(settings: PushSettings): Provider {
  const ca = trustedCas(settings);
  return {
    async check(c) {
      if (!c.url || !/^https?:\/\//.test(c.url)) throw new Error('the webhook channel needs an http(s) url');
      if (c.appSecret.length < 16) throw new Error('the webhook channel needs a signing secret (app secret) of at least 16 characters');
    },
    async send(c, token, n) {
      const body = JSON.stringify({ type: 'push.notification', token, notification: n });
      try {
        const answer = await post(settings, ca, c.url!, { 'content-type': 'application/json', 'x-im-signature': signatureHeader(c.appSecret, body) }, body);
        if (answer.status === 410) return { status: 'unregistered', error: 'webhook 410' };
        return outcomeOfStatus(answer.status, `webhook ${answer.status}`);
      } catch (error) {
        return { status: 'retry', error: describeError(error) };
      }
    },
  };
}
