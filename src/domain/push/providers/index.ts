import type { Config } from '../../../config.js';
import { apnsProvider } from './apns.js';
import { fcmProvider } from './fcm.js';
import { PROVIDER, type Provider, type ProviderCode } from './types.js';
import { webhookProvider } from './webhook.js';

/** Vendor channels whose APIs we do not speak yet: credentials are refused with this reason. */
export const UNSUPPORTED: Partial<Record<ProviderCode, string>> = {
  [PROVIDER.HUAWEI]: 'Huawei Push Kit is not supported yet: use FCM or the webhook channel',
  [PROVIDER.XIAOMI]: 'Xiaomi push is not supported yet: use FCM or the webhook channel',
  [PROVIDER.MEIZU]: 'Meizu (Flyme) push is not supported: use FCM or the webhook channel',
  [PROVIDER.VIVO]: 'vivo push is not supported: use FCM or the webhook channel',
  [PROVIDER.OPPO]: 'OPPO push is not supported: use FCM or the webhook channel',
};

export type Providers = Partial<Record<ProviderCode, Provider>> & { close(): void };

const registry = new WeakMap<Config, Providers>();

/** The providers of a server (one set per config: their connections and tokens are cached). */
export function providersOf(config: Config): Providers {
  let providers = registry.get(config);
  if (!providers) {
    const set: Partial<Record<ProviderCode, Provider>> = {
      [PROVIDER.APNS]: apnsProvider(config.push),
      [PROVIDER.FCM]: fcmProvider(config.push),
      [PROVIDER.WEBHOOK]: webhookProvider(config.push),
    };
    providers = Object.assign(set, { close: () => Object.values(set).forEach((p) => p.close?.()) });
    registry.set(config, providers);
  }
  return providers;
}
