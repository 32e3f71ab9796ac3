/** Push providers as the dialect numbers them (`/push/certificate?provider=`), plus our signed webhook. */
export const PROVIDER = { APNS: 1, HUAWEI: 2, XIAOMI: 3, MEIZU: 4, VIVO: 5, OPPO: 6, FCM: 7, WEBHOOK: 8 } as const;
export type ProviderCode = (typeof PROVIDER)[keyof typeof PROVIDER];

/** Delivery channels besides the providers: the user's live subscription, and an app's webhook endpoint. */
export const CHANNEL = { IN_APP: 0, ...PROVIDER, ENDPOINT: 9 } as const;

export const ENVIRONMENT = { DEVELOPMENT: 0, PRODUCTION: 1 } as const;

/** How a device's `notifierName` names its provider (what client SDKs send when binding a token). */
export const NOTIFIER_NAMES: Record<string, ProviderCode> = {
  apns: PROVIDER.APNS,
  ios: PROVIDER.APNS,
  fcm: PROVIDER.FCM,
  huawei: PROVIDER.HUAWEI,
  hms: PROVIDER.HUAWEI,
  xiaomi: PROVIDER.XIAOMI,
  mi: PROVIDER.XIAOMI,
  meizu: PROVIDER.MEIZU,
  flyme: PROVIDER.MEIZU,
  vivo: PROVIDER.VIVO,
  oppo: PROVIDER.OPPO,
  webhook: PROVIDER.WEBHOOK,
};

/** An app's credentials for a provider, opened (secret parts in the clear): never logged. */
export interface Credential {
  appId: string;
  provider: ProviderCode;
  environment: number;
  name: string;
  /** APNs: the bundle id (apns-topic); FCM: the project id; Huawei: the OAuth client (app) id; Xiaomi: the package name. */
  providerAppId: string;
  /** APNs: the key id of the .p8 key. */
  appKey: string;
  /** APNs: the team id; Huawei: the client secret; Xiaomi: the AppSecret; webhook: the signing secret. */
  appSecret: string;
  /** APNs: the .p8 private key (PEM); FCM: the service-account JSON. */
  certificate: string;
  /** Webhook: where notifications are posted. */
  url: string | null;
}

/** A notification as every provider gets it; each maps it onto its own request. */
export interface Notification {
  /** `alert` shows something; `background` (the dialect's `cmd`) only wakes the app with data. */
  kind: 'alert' | 'background';
  title: string;
  body: string;
  subtitle?: string;
  bigText?: string;
  imageUrl?: string;
  /** The app icon's number, or null to leave it. */
  badge: number | null;
  /** A sound name, or null for a silent notification. */
  sound: string | null;
  /** Notifications with the same collapse id replace each other on the device. */
  collapseId: string | null;
  threadId?: string;
  category?: string;
  mutableContent?: boolean;
  contentAvailable?: boolean;
  channelId?: string;
  clickAction?: string;
  intent?: string;
  /** App data, every value a string (FCM requires it). */
  data: Record<string, string>;
  /** When the notification is no longer worth showing (ms since the epoch). */
  expiresAt?: number;
}

export type Outcome =
  | { status: 'sent' }
  | { status: 'retry'; error: string }
  /** The token is no longer valid: the device's token is removed. */
  | { status: 'unregistered'; error: string }
  | { status: 'failed'; error: string };

export interface Provider {
  send(credential: Credential, token: string, notification: Notification): Promise<Outcome>;
  /** Checks credentials when an admin sets them; throws a message saying what is wrong. */
  check(credential: Credential): Promise<void>;
  close?(): void;
}

/** What a provider's HTTP status means when its body says nothing more precise. */
export function outcomeOfStatus(status: number, error: string): Outcome {
  if (status >= 200 && status < 300) return { status: 'sent' };
  if (status === 429 || status >= 500 || status === 408) return { status: 'retry', error };
  return { status: 'failed', error };
}
