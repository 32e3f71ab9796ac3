import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stdout (or `destination`, which tests use to read them). Credentials
 * never reach a log line: errors are logged through `safeError` (no query parameters, no request
 * source, no driver details), and the redact list is the last line of defence for fields that
 * name a secret.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'im-server' },
    serializers: { err: safeError, error: safeError },
    hooks: {
      // `logger.error(error)` would make the error's own message the line's message: use the safe one.
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        if (first instanceof Error) return method.apply(this, [{ err: first }, ...(rest.length ? rest : [safeError(first).message])] as Parameters<typeof method>);
        return method.apply(this, args);
      },
    },
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'appSecret',
        '*.appSecret',
        'req.headers.authorization',
        'req.headers["access-token"]',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export interface SafeError {
  type: string;
  message: string;
  code?: string;
  stack?: string;
  cause?: SafeError;
}

/**
 * What of an error may be logged: its type, a message without the values it was about, its code
 * and where it was thrown. A failed query keeps its SQL but not its parameters (they may hold a
 * password hash or a token); a driver error loses its detail (`Key (email)=(…)`); a GraphQL error
 * loses its message, which may quote the client's input, and keeps its code and path.
 */
export function safeError(error: unknown, depth = 0): SafeError {
  if (!(error instanceof Error)) return { type: typeof error, message: '[not an Error]' };
  const type = error.constructor?.name && error.constructor.name !== 'Error' ? error.constructor.name : error.name;
  const fields = error as Error & { code?: unknown; extensions?: Record<string, unknown>; path?: unknown };
  // A failed query's SQL is kept, its parameters are not; a GraphQL error's text may quote the request.
  let message: string;
  if (fields.extensions && 'path' in fields) message = `GraphQL error at ${JSON.stringify(fields.path ?? null)}`;
  else message = withoutParams(error.message);
  const code = typeof fields.code === 'string' ? fields.code : typeof fields.extensions?.['code'] === 'string' ? (fields.extensions['code'] as string) : undefined;
  const frames = error.stack?.split('\n').filter((line) => /^\s+at /.test(line)).join('\n');
  const result: SafeError = { type, message };
  if (code) result.code = code;
  if (frames) result.stack = `${type}: ${message}\n${frames}`;
  if (error.cause !== undefined && depth < 3) result.cause = safeError(error.cause, depth + 1);
  return result;
}

/**
 * Drops a `params: …` tail (drizzle's failed-query message), and the value PostgreSQL quotes in
 * `invalid input syntax for type integer: "…"`.
 */
const withoutParams = (message: string) =>
  message.replace(/\nparams: [\s\S]*$/, '').replace(/(for type [\w ]+(?:\(\d+\))?): [\s\S]*$/, '$1: [value redacted]');
