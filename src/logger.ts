import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs. Credentials never reach a log line: the redact list is the last line of defence. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'im-server' },
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
  });
}
