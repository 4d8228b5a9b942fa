import 'server-only';
import pino from 'pino';
import { loadConfig } from '../../config';
import { stripUrlCredentials } from './redact';

/** The dashboard's server log: JSON lines on stderr; what the browser is not told goes here. */
const logger = pino({ level: loadConfig().logLevel, base: { service: 'keyscope-dashboard' } }, pino.destination({ fd: 2, sync: true }));

/** Logs a failure with its request id; URLs in its message and stack lose their credentials. */
export function logFailure(requestId: string, what: string, err: unknown): void {
  const e = err instanceof Error ? err : new Error(String(err));
  const cause = e.cause instanceof Error ? stripUrlCredentials(e.cause.message) : undefined;
  logger.error({ requestId, err: { name: e.name, message: stripUrlCredentials(e.message), stack: stripUrlCredentials(e.stack ?? ''), cause } }, what);
}
