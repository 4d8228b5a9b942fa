import { z } from 'zod';

const MIB = 1024 * 1024;

/**
 * The one place that reads the environment (DESIGN.md, Conventions). Every other
 * module takes its settings from here, validated at start-up.
 */
const EnvSchema = z.object({
  KEYSCOPE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Root key of the local KMS key file: 32 bytes, base64. The key file's material is
   * encrypted under it. Never logged.
   */
  KEYSCOPE_KMS_ROOT_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
    .optional(),
  /** Region and endpoint for the `aws` KEK provider; credentials come from the standard AWS chain. */
  KEYSCOPE_AWS_REGION: z.string().min(1).optional(),
  KEYSCOPE_AWS_KMS_ENDPOINT: z.url().optional(),
  /** Which store backend holds the records (lib/store); sqlite is the embedded default. */
  KEYSCOPE_STORE: z.enum(['sqlite', 'elasticsearch']).default('sqlite'),
  /** The sqlite database file, relative to the working directory unless absolute. */
  KEYSCOPE_SQLITE_PATH: z.string().min(1).default('.keyscope/keyscope.db'),
  /** JSON file of SLO definitions (lib/detect/slo-config.ts); the seed defaults apply when unset. */
  KEYSCOPE_SLO_CONFIG: z.string().min(1).optional(),
  /** Chromium for the browser tests and screenshots; Debian's package by default (Playwright's download cannot work offline). */
  KEYSCOPE_CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  /**
   * The ingest service's HTTP intake (ingest/sources/intake-http). Loopback unless opened up.
   * Port 4318, as in the traffic generator's `--intake` examples (also OTLP/HTTP's port:
   * move one of them if an OpenTelemetry collector runs on the same host).
   */
  KEYSCOPE_INTAKE_HOST: z.string().min(1).default('127.0.0.1'),
  KEYSCOPE_INTAKE_PORT: z.coerce.number().int().min(0).max(65535).default(4318),
  /** Largest request body as sent (compressed or not); larger requests get 413 and the client splits them. */
  KEYSCOPE_INTAKE_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(8 * MIB),
  /** Largest body after gunzip, so that a small gzip bomb cannot inflate into memory. */
  KEYSCOPE_INTAKE_MAX_DECOMPRESSED_BYTES: z.coerce.number().int().min(1024).default(64 * MIB),
  /** Directory of CloudTrail log files the ingest service watches (`serve`); none when unset. */
  KEYSCOPE_CLOUDTRAIL_DIR: z.string().min(1).optional(),
  /** How often the watcher lists that directory; a trail delivers a file every ~5 minutes per region. */
  KEYSCOPE_CLOUDTRAIL_POLL_MS: z.coerce.number().int().min(100).default(30_000),
  /** Records per store write, and the longest a record waits in a partial batch. */
  KEYSCOPE_INGEST_BATCH_RECORDS: z.coerce.number().int().min(1).max(100_000).default(5000),
  KEYSCOPE_INGEST_BATCH_MAX_AGE_MS: z.coerce.number().int().min(1).default(1000),
  /** How often the alert scheduler evaluates the SLO burn-rate rules. */
  KEYSCOPE_ALERT_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
});

export type Config = {
  logLevel: z.infer<typeof EnvSchema>['KEYSCOPE_LOG_LEVEL'];
  /** Decoded root key, or null when none is configured. */
  kmsRootKey: Buffer | null;
  awsRegion: string | null;
  awsKmsEndpoint: string | null;
  store: StoreConfig;
  /** Path of the SLO definitions file, or null for the built-in defaults. */
  sloConfigPath: string | null;
  chromiumPath: string;
  intake: IntakeConfig;
  ingest: IngestConfig;
};

export type IntakeConfig = { host: string; port: number; maxBodyBytes: number; maxDecompressedBytes: number };
export type IngestConfig = {
  /** Watched CloudTrail directory, or null for none. */
  cloudTrailDir: string | null;
  pollIntervalMs: number;
  batchRecords: number;
  batchMaxAgeMs: number;
  alertIntervalMs: number;
};

export type StoreBackend = z.infer<typeof EnvSchema>['KEYSCOPE_STORE'];
export type StoreConfig = { backend: StoreBackend; sqlitePath: string };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    // Name the variable and the rule, never the value (it may be a secret).
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    logLevel: e.KEYSCOPE_LOG_LEVEL,
    kmsRootKey: e.KEYSCOPE_KMS_ROOT_KEY ? Buffer.from(e.KEYSCOPE_KMS_ROOT_KEY, 'base64') : null,
    awsRegion: e.KEYSCOPE_AWS_REGION ?? null,
    awsKmsEndpoint: e.KEYSCOPE_AWS_KMS_ENDPOINT ?? null,
    store: { backend: e.KEYSCOPE_STORE, sqlitePath: e.KEYSCOPE_SQLITE_PATH },
    sloConfigPath: e.KEYSCOPE_SLO_CONFIG ?? null,
    chromiumPath: e.KEYSCOPE_CHROMIUM_PATH,
    intake: {
      host: e.KEYSCOPE_INTAKE_HOST,
      port: e.KEYSCOPE_INTAKE_PORT,
      maxBodyBytes: e.KEYSCOPE_INTAKE_MAX_BODY_BYTES,
      maxDecompressedBytes: e.KEYSCOPE_INTAKE_MAX_DECOMPRESSED_BYTES,
    },
    ingest: {
      cloudTrailDir: e.KEYSCOPE_CLOUDTRAIL_DIR ?? null,
      pollIntervalMs: e.KEYSCOPE_CLOUDTRAIL_POLL_MS,
      batchRecords: e.KEYSCOPE_INGEST_BATCH_RECORDS,
      batchMaxAgeMs: e.KEYSCOPE_INGEST_BATCH_MAX_AGE_MS,
      alertIntervalMs: e.KEYSCOPE_ALERT_INTERVAL_MS,
    },
  };
}
