import { z } from 'zod';
import { InvalidInputError } from './errors.js';

/** Parses input with a zod schema; the first problem becomes an InvalidInputError naming its field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  throw new InvalidInputError(path || 'input', issue.message);
}

/** Letters, digits, `_` and CJK ideographs; not digits only (those would read as user ids). */
export const username = z
  .string({ error: 'is required' })
  .min(2, 'must be 2 to 32 characters')
  .max(32, 'must be 2 to 32 characters')
  .regex(/^[\p{L}\p{Script=Han}0-9_]+$/u, 'may contain only letters, digits, _ and CJK characters')
  .refine((v) => !/^[0-9]+$/.test(v), 'must not be digits only');

export const password = z
  .string({ error: 'is required' })
  .min(6, 'must be 6 to 64 characters')
  .max(64, 'must be 6 to 64 characters');

export const mobile = z.string().regex(/^\+?[0-9]{5,20}$/, 'must be 5 to 20 digits, optionally starting with +');

export const email = z.email('must be an email address').max(254, 'must be at most 254 characters');

/**
 * The id a value names when it is one in canonical form: a positive safe integer, or its decimal
 * digits as a string (no sign, leading zero, exponent, hex, space or fraction). 64-bit ids travel as
 * decimal strings in GraphQL and numbers in REST; both stay below 2^53 here.
 */
export function canonicalId(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,15}$/.test(value)) return undefined;
  const id = Number(value);
  return Number.isSafeInteger(id) ? id : undefined;
}

export const ID_FORM = 'must be a numeric id: decimal digits only (no sign, spaces, exponent or leading zero)';

export const entityId = z.unknown().transform((value, ctx): number => {
  const id = canonicalId(value);
  if (id === undefined) ctx.addIssue({ code: 'custom', message: ID_FORM });
  return id ?? 0;
});

export const appId = z
  .string({ error: 'is required' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/, 'must be 3 to 64 letters, digits, _ or -');

export const deviceGuid = z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters');

/** Client platforms: 1 iOS, 2 Android, 3 Windows, 4 macOS, 5 Linux, 6 web; 0 unknown. */
export const platform = z.number().int().min(0, 'must be 0 to 6').max(6, 'must be 0 to 6');

/** A string holding JSON (the dialects keep app-defined data as JSON text). */
export const jsonText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((value) => {
      if (value === '') return true;
      try {
        JSON.parse(value);
        return true;
      } catch {
        return false;
      }
    }, 'must be JSON text');

/** Hour of the day, 0–23. */
export const hour = z.number({ error: 'must be an hour 0–23' }).int('must be an hour 0–23').min(0, 'must be an hour 0–23').max(23, 'must be an hour 0–23');
