import type { IncomingMessage } from 'node:http';
import { canonicalId } from '../../domain/validation.js';
import { inspectInput } from '../../graphql/input-gate.js';

/** Parameters of a request, from the query string and a JSON, form or plain-text body, merged. */
export interface Params {
  /** Scalar fields by name; body fields win over query fields. */
  fields: Record<string, unknown>;
  /** The parsed body as sent (an array for batch routes, a string for raw-text routes). */
  body: unknown;
  /** The body exactly as sent, for routes whose body is a raw string. */
  text: string;
}

export class BadRequestError extends Error {}

const MAX_BODY_BYTES = 1024 * 1024;

export async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const fields: Record<string, unknown> = Object.fromEntries(url.searchParams);
  // What GraphQL's input gate refuses (NUL bytes, unpaired surrogates, deep nesting) is refused here first.
  const query = inspectInput(fields, '');
  if (query) throw new BadRequestError(query.message);
  const text = await readBody(req);
  if (text.trim() === '') return { fields, body: undefined, text };

  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  // Legacy clients send JSON under a form content type (curl's default) often enough to sniff it.
  const looksJson = /^\s*[[{]/.test(text);
  let body: unknown;
  if (type === 'application/json' || looksJson) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new BadRequestError('the request body is not valid JSON');
    }
  } else if (type === 'application/x-www-form-urlencoded') {
    body = Object.fromEntries(new URLSearchParams(text));
  } else {
    body = text;
  }
  const refused = inspectInput(body, '');
  if (refused) throw new BadRequestError(refused.message);
  if (body && typeof body === 'object' && !Array.isArray(body)) Object.assign(fields, body);
  return { fields, body, text };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BadRequestError(`the request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A scalar parameter as a string, or undefined when absent or empty. */
export function str(p: Params, name: string): string | undefined {
  const value = p.fields[name];
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A numeric parameter: decimal digits (no spaces, exponent or hex) become a number; anything else is passed on for GraphQL to refuse. */
export function int(p: Params, name: string): unknown {
  const value = p.fields[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && /^-?\d{1,16}$/.test(value)) return Number(value);
  return value;
}

/**
 * Whether a dialect's text is an id in canonical form (decimal digits, no leading zero, sign or
 * space; below 2^53), as GraphQL and the domain take ids: `007` is not the id 7.
 */
export const isId = (text: string): boolean => canonicalId(text) !== undefined;

/** An item of an id list as the string GraphQL takes; a nested value stays visibly wrong (`[1]` is not the id 1). */
export const idText = (value: unknown): string => (value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value));

/** A boolean parameter: true/false or 1/0; anything else is passed on for GraphQL to refuse. */
export function bool(p: Params, name: string): unknown {
  const value = p.fields[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true' || value === '1' || value === 1) return true;
  if (value === false || value === 'false' || value === '0' || value === 0) return false;
  return value;
}

/** An array parameter (JSON), or undefined. */
export function list(p: Params, name: string): unknown[] | undefined {
  const value = p.fields[name];
  return Array.isArray(value) ? value : undefined;
}
