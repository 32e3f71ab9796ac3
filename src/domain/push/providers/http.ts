import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { PushSettings } from '../../../config.js';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** The trusted CAs of provider connections: the system's, plus PUSH_CA_FILE's. */
export function trustedCas(settings: PushSettings): string[] | undefined {
  if (!settings.caFile) return undefined;
  return [...rootCertificates, readFileSync(settings.caFile, 'utf8')];
}

/**
 * One HTTP/1.1 request with a deadline (node:http(s), so PUSH_CA_FILE applies). Network errors and
 * the deadline reject; any HTTP answer resolves.
 */
export function post(
  settings: PushSettings,
  ca: string[] | undefined,
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<HttpAnswer> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, timeout: settings.timeoutMs, ...(ca && { ca }) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${settings.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** A short description of a failed request for the delivery log: never the request itself (it carries tokens). */
export const describeError = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 300);

export function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
