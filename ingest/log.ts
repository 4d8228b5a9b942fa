import pino, { type Logger } from 'pino';
import type { Config } from '../lib/config';

/**
 * Structured JSON logs (pino). The service logs to stdout; `import` to stderr, keeping
 * stdout for its `--json` summary. Synchronous writes: a shutdown or crash loses no line.
 * Call sites log counts, paths, ids and reasons, never record payloads or key material;
 * the redaction below is a second line of defence for fields that must never appear.
 */
export function createLogger(level: Config['logLevel'], fd: 1 | 2 = 1): Logger {
  return pino(
    {
      level,
      base: { service: 'keyscope-ingest' },
      redact: { paths: ['payload', 'raw', 'plaintext', '*.payload', '*.raw', '*.plaintext'], censor: '[redacted]' },
    },
    pino.destination({ fd, sync: true }),
  );
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
