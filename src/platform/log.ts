import { type Logger, pino } from 'pino';

export type { Logger };

// Paths that may carry secrets anywhere in a log object; pino replaces them before the line is written.
const REDACT = [
  'password',
  'newPassword',
  'currentPassword',
  'privateKey',
  'privateKeyPem',
  'token',
  'secret',
  'clientSecret',
  'databaseUrl',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.privateKey',
  '*.privateKeyPem',
  '*.token',
  '*.secret',
  '*.clientSecret',
  '*.databaseUrl',
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers.signature',
  'res.headers["set-cookie"]',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'zhengtong' } }, destination);
}

/** Removes the password from a connection string so it can be shown or logged. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}
