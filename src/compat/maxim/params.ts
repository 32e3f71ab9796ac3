import { codeName, codeOf, type CodeTable } from '../../domain/codes.js';
import type { ErrorCode } from '../../domain/errors.js';
import { int, type Params } from '../shared/params.js';

// The dialect reads parameters like every other: see ../shared/params.ts.
export * from '../shared/params.js';

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
