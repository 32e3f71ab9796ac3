import type { IncomingMessage } from 'node:http';
import { codeName, codeOf, type CodeTable } from '../../domain/codes.js';
import type { ErrorCode } from '../../domain/errors.js';

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

/** A numeric parameter passed on as is; GraphQL coercion reports a bad one. */
export function int(p: Params, name: string): unknown {
  const value = p.fields[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  return value;
}

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

/**
 * A parameter the route refuses before running its document, answered with the dialect's code
 * of `code` (GraphQL cannot say it: a value outside an enum, JSON text that is not JSON).
 */
export class ParamError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/**
 * A parameter the dialect documents as JSON text, as the JSON value GraphQL takes: absent is
 * undefined (unchanged), empty is null (cleared), anything else must parse.
 */
export function json(p: Params, name: string): unknown {
  const value = p.fields[name];
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  if (typeof value !== 'string') return value; // sent as JSON already, in a JSON body
  try {
    return JSON.parse(value);
  } catch {
    throw new ParamError('INVALID_INPUT', name, 'must be JSON text');
  }
}

/** A JSON value as the dialect's JSON text: none is ''. */
export const jsonString = (value: unknown): string => (value == null ? '' : JSON.stringify(value));

/**
 * An integer code parameter as the name of its GraphQL enum value (`codes.ts`); a number outside
 * the table is refused with `invalid` (the dialect's code for it).
 */
export function code(p: Params, name: string, table: CodeTable, invalid: ErrorCode = 'INVALID_INPUT'): string | undefined {
  const value = int(p, name);
  if (value === undefined) return undefined;
  const found = typeof value === 'number' ? codeName(table, value) : undefined;
  if (found === undefined) throw new ParamError(invalid, name, `must be one of ${Object.values(table).map(([n]) => n).join(', ')}`);
  return found;
}

/** The dialect's number of an enum value GraphQL answered (null stays null). */
export const codeNumber = (table: CodeTable, name: string | null | undefined): number | null =>
  name == null ? null : (codeOf(table, name) ?? null);
