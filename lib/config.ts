import { z } from 'zod';
import type { TimeBounds } from './model/time-window';
import { RECORD_KINDS, type RecordKind } from './store/types';

const MIB = 1024 * 1024;
const DAY_MS = 24 * 3600_000;

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
  /** Elasticsearch node URL(s), comma-separated, for KEYSCOPE_STORE=elasticsearch (`npm run dev:es` listens on 9200). */
  KEYSCOPE_ES_NODE: z.string().min(1).default('http://127.0.0.1:9200'),
  /** Elasticsearch API key (base64 `id:key`, as Kibana shows it), or basic auth below. Never logged. */
  KEYSCOPE_ES_API_KEY: z.string().min(1).optional(),
  KEYSCOPE_ES_USERNAME: z.string().min(1).optional(),
  KEYSCOPE_ES_PASSWORD: z.string().min(1).optional(),
  /** PEM file of the CA that signed the cluster's HTTPS certificate. */
  KEYSCOPE_ES_CA_FILE: z.string().min(1).optional(),
  /** Every keyscope index, template and alias name starts with this (several installs can share a cluster). */
  KEYSCOPE_ES_INDEX_PREFIX: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lowercase letters, digits, _ and -, at most 40').default('keyscope'),
  /** Bulk requests: body size cap and how many are in flight at once. */
  KEYSCOPE_ES_BULK_BYTES: z.coerce.number().int().min(64 * 1024).max(100 * MIB).default(5 * MIB),
  KEYSCOPE_ES_BULK_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
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
  /** NDJSON: the longest line and the most lines in one request (413 naming the limit). */
  KEYSCOPE_INTAKE_MAX_LINE_BYTES: z.coerce.number().int().min(1024).default(MIB),
  KEYSCOPE_INTAKE_MAX_LINES: z.coerce.number().int().min(1).default(100_000),
  /** Decompressed bytes held across all requests at once; the request that would pass it gets 429 with Retry-After. */
  KEYSCOPE_INTAKE_MAX_INFLIGHT_BYTES: z.coerce.number().int().min(MIB).default(128 * MIB),
  /** Requests per second per emitter token (a bucket of _BURST); beyond it 429 with Retry-After. */
  KEYSCOPE_INTAKE_TOKEN_RATE: z.coerce.number().gt(0).default(50),
  KEYSCOPE_INTAKE_TOKEN_BURST: z.coerce.number().int().min(1).default(100),
  /**
   * Whether writers must send an emitter token: `auto` once any token was ever made in the
   * auth database (revoking every token never opens the intake again), `required` always.
   */
  KEYSCOPE_INTAKE_AUTH: z.enum(['auto', 'required']).default('auto'),
  /** The emitter token the traffic generator sends to the intake or OTLP receiver (`--intake-token` overrides). Never logged. */
  KEYSCOPE_INTAKE_TOKEN: z.string().min(1).optional(),
  /** Directory of CloudTrail log files the ingest service watches (`serve`); none when unset. */
  KEYSCOPE_CLOUDTRAIL_DIR: z.string().min(1).optional(),
  /** How often the watcher lists that directory; a trail delivers a file every ~5 minutes per region. */
  KEYSCOPE_CLOUDTRAIL_POLL_MS: z.coerce.number().int().min(100).default(30_000),
  /** Whole UTC days before today the watcher lists on every poll (late files); older days close (cloudtrail-files/trail-cursor.ts). */
  KEYSCOPE_CLOUDTRAIL_LOOKBACK_DAYS: z.coerce.number().int().min(1).max(400).default(1),
  /** Records per store write, and the longest a record waits in a partial batch. */
  KEYSCOPE_INGEST_BATCH_RECORDS: z.coerce.number().int().min(1).max(100_000).default(5000),
  KEYSCOPE_INGEST_BATCH_MAX_AGE_MS: z.coerce.number().int().min(1).default(1000),
  /** Records dated further ahead of this server's clock are dead-lettered (lib/model/time-window.ts). */
  KEYSCOPE_MAX_FUTURE_SKEW_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** Live sources (intake, LookupEvents, the trail watcher) refuse records older than this; `import` takes history. */
  KEYSCOPE_LIVE_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(400),
  /** Dead letters are deleted this long after they were received. */
  KEYSCOPE_DEAD_LETTER_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(30),
  /** How often the alert scheduler evaluates the SLO burn-rate rules. */
  KEYSCOPE_ALERT_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
  /**
   * The CloudTrail LookupEvents poller (ingest/sources/cloudtrail-api): comma-separated
   * `profile:region` (a named AWS profile) or `region` (the default credential chain);
   * none when unset. Credentials always come from the standard AWS chain, never from here.
   */
  KEYSCOPE_CLOUDTRAIL_API_TARGETS: z.string().optional(),
  /** How often each target is polled once its back-fill is done. */
  KEYSCOPE_CLOUDTRAIL_API_POLL_MS: z.coerce.number().int().min(1000).default(60_000),
  /** Every poll re-reads this much before its last one: LookupEvents shows an event minutes after its eventTime. */
  KEYSCOPE_CLOUDTRAIL_API_OVERLAP_MS: z.coerce.number().int().min(0).max(DAY_MS).default(15 * 60_000),
  /** How far back a target's first poll reads; LookupEvents keeps 90 days. */
  KEYSCOPE_CLOUDTRAIL_API_BACKFILL_DAYS: z.coerce.number().min(0).max(90).default(90),
  /** LookupEvents allows 2 requests/s per account and region: the limiter's pace, just under (its window guard enforces the 2). */
  KEYSCOPE_CLOUDTRAIL_API_MAX_RPS: z.coerce.number().gt(0).max(2).default(1.98),
  /** Overrides the regional CloudTrail endpoint (VPC endpoints, FIPS, or a local test server). */
  KEYSCOPE_CLOUDTRAIL_API_ENDPOINT: z.url().optional(),
  /**
   * Test failpoint; never set in production (ingest/pipeline/failpoint.ts). The ingest
   * process signals itself right after the Nth store write its pipelines acknowledged;
   * _KILL_ON counts only the writes that carry that record kind, _KILL_SIGNAL is SIGKILL
   * (a crash) unless SIGTERM (a clean stop) or SIGSTOP (a pause until SIGCONT).
   */
  KEYSCOPE_FAILPOINT_KILL_AFTER_WRITES: z.coerce.number().int().min(1).optional(),
  KEYSCOPE_FAILPOINT_KILL_ON: z.enum(RECORD_KINDS).optional(),
  KEYSCOPE_FAILPOINT_KILL_SIGNAL: z.enum(['SIGKILL', 'SIGTERM', 'SIGSTOP']).optional(),
  /** keyscope's config file (JSON: sign-in providers, groups → roles; lib/config-file.ts); none when unset. */
  KEYSCOPE_CONFIG: z.string().min(1).optional(),
  /** Users, sessions and accounts: their own SQLite file, whichever event store is configured. */
  KEYSCOPE_AUTH_DB: z.string().min(1).default('.keyscope/auth.db'),
  /** Signs session cookies (32+ characters). Unset: a random one kept beside the auth database. Never logged. */
  KEYSCOPE_AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The dashboard's address as browsers reach it (OIDC redirect URIs, the origin check); inferred from the request when unset. */
  KEYSCOPE_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Where `npm start` binds the dashboard: loopback unless set; another address needs a sign-in method. */
  KEYSCOPE_DASHBOARD_HOST: z.string().min(1).default('127.0.0.1'),
  KEYSCOPE_DASHBOARD_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** `next dev` sets development: the CSP then allows the eval React's dev tools need. */
  NODE_ENV: z.string().optional(),
});

/** `profile:region` or `region`, as KEYSCOPE_CLOUDTRAIL_API_TARGETS lists them. */
const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const PROFILE_RE = /^[A-Za-z0-9_.+=,@-]+$/;

export type CloudTrailApiTarget = { profile: string | null; region: string };

/** Parses the targets list; the reason names the entry, never a credential (there are none in it). */
export function parseCloudTrailApiTargets(text: string): CloudTrailApiTarget[] {
  const targets: CloudTrailApiTarget[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const at = entry.lastIndexOf(':');
    const profile = at === -1 ? null : entry.slice(0, at);
    const region = at === -1 ? entry : entry.slice(at + 1);
    if (!REGION_RE.test(region)) throw new ConfigError(`invalid configuration: KEYSCOPE_CLOUDTRAIL_API_TARGETS: "${entry}": expected profile:region or region (e.g. prod:us-east-1)`);
    if (profile !== null && !PROFILE_RE.test(profile)) throw new ConfigError(`invalid configuration: KEYSCOPE_CLOUDTRAIL_API_TARGETS: "${entry}": invalid profile name`);
    const id = `${profile ?? ''}:${region}`;
    if (seen.has(id)) throw new ConfigError(`invalid configuration: KEYSCOPE_CLOUDTRAIL_API_TARGETS: "${entry}" is listed twice`);
    seen.add(id);
    targets.push({ profile, region });
  }
  return targets;
}

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
  /** What the traffic generator sends as its emitter token (KEYSCOPE_INTAKE_TOKEN), or null. */
  emitterToken: string | null;
  ingest: IngestConfig;
  cloudTrailApi: CloudTrailApiConfig;
  failpoints: FailpointsConfig;
  auth: AuthEnvConfig;
  dashboard: { host: string; port: number; dev: boolean };
};

/** Sign-in settings from the environment; providers and role mappings live in the config file. */
export type AuthEnvConfig = { configFile: string | null; dbPath: string; secret: string | null; publicUrl: string | null };

/** Test failpoints (KEYSCOPE_FAILPOINT_*): all null in production. */
export type FailpointsConfig = { killAfterWrites: KillAfterWritesFailpoint | null };
export type KillAfterWritesFailpoint = { writes: number; kind: RecordKind | null; signal: 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' };

export type CloudTrailApiConfig = {
  /** Empty when the poller is off. */
  targets: CloudTrailApiTarget[];
  pollIntervalMs: number;
  overlapMs: number;
  backfillDays: number;
  maxRequestsPerSecond: number;
  endpoint: string | null;
};

export type IntakeConfig = {
  host: string;
  port: number;
  maxBodyBytes: number;
  maxDecompressedBytes: number;
  maxLineBytes: number;
  maxLines: number;
  maxInflightBytes: number;
  tokenRate: { perSecond: number; burst: number };
  auth: 'auto' | 'required';
};
export type IngestConfig = {
  /** Watched CloudTrail directory, or null for none. */
  cloudTrailDir: string | null;
  pollIntervalMs: number;
  lookbackDays: number;
  batchRecords: number;
  batchMaxAgeMs: number;
  alertIntervalMs: number;
  /** How far ahead and (live sources) how far back record times may be. */
  timeBounds: TimeBounds;
  deadLetterRetentionMs: number;
};

export type StoreBackend = z.infer<typeof EnvSchema>['KEYSCOPE_STORE'];
export type ElasticsearchConfig = {
  nodes: string[];
  auth: { apiKey: string } | { username: string; password: string } | null;
  caFile: string | null;
  indexPrefix: string;
  bulkBytes: number;
  bulkConcurrency: number;
};
/** Each backend's settings; only the chosen one is read (and validated). */
export type StoreConfig = { backend: 'sqlite'; sqlitePath: string } | { backend: 'elasticsearch'; elasticsearch: ElasticsearchConfig };

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
    store: e.KEYSCOPE_STORE === 'sqlite' ? { backend: 'sqlite', sqlitePath: e.KEYSCOPE_SQLITE_PATH } : { backend: 'elasticsearch', elasticsearch: elasticsearchConfig(e) },
    sloConfigPath: e.KEYSCOPE_SLO_CONFIG ?? null,
    chromiumPath: e.KEYSCOPE_CHROMIUM_PATH,
    intake: {
      host: e.KEYSCOPE_INTAKE_HOST,
      port: e.KEYSCOPE_INTAKE_PORT,
      maxBodyBytes: e.KEYSCOPE_INTAKE_MAX_BODY_BYTES,
      maxDecompressedBytes: e.KEYSCOPE_INTAKE_MAX_DECOMPRESSED_BYTES,
      maxLineBytes: e.KEYSCOPE_INTAKE_MAX_LINE_BYTES,
      maxLines: e.KEYSCOPE_INTAKE_MAX_LINES,
      maxInflightBytes: e.KEYSCOPE_INTAKE_MAX_INFLIGHT_BYTES,
      tokenRate: { perSecond: e.KEYSCOPE_INTAKE_TOKEN_RATE, burst: e.KEYSCOPE_INTAKE_TOKEN_BURST },
      auth: e.KEYSCOPE_INTAKE_AUTH,
    },
    emitterToken: e.KEYSCOPE_INTAKE_TOKEN ?? null,
    ingest: {
      cloudTrailDir: e.KEYSCOPE_CLOUDTRAIL_DIR ?? null,
      pollIntervalMs: e.KEYSCOPE_CLOUDTRAIL_POLL_MS,
      lookbackDays: e.KEYSCOPE_CLOUDTRAIL_LOOKBACK_DAYS,
      batchRecords: e.KEYSCOPE_INGEST_BATCH_RECORDS,
      batchMaxAgeMs: e.KEYSCOPE_INGEST_BATCH_MAX_AGE_MS,
      alertIntervalMs: e.KEYSCOPE_ALERT_INTERVAL_MS,
      timeBounds: { futureSkewMs: e.KEYSCOPE_MAX_FUTURE_SKEW_SECONDS * 1000, liveRetentionMs: e.KEYSCOPE_LIVE_RETENTION_DAYS * DAY_MS },
      deadLetterRetentionMs: e.KEYSCOPE_DEAD_LETTER_RETENTION_DAYS * DAY_MS,
    },
    cloudTrailApi: {
      targets: parseCloudTrailApiTargets(e.KEYSCOPE_CLOUDTRAIL_API_TARGETS ?? ''),
      pollIntervalMs: e.KEYSCOPE_CLOUDTRAIL_API_POLL_MS,
      overlapMs: e.KEYSCOPE_CLOUDTRAIL_API_OVERLAP_MS,
      backfillDays: e.KEYSCOPE_CLOUDTRAIL_API_BACKFILL_DAYS,
      maxRequestsPerSecond: e.KEYSCOPE_CLOUDTRAIL_API_MAX_RPS,
      endpoint: e.KEYSCOPE_CLOUDTRAIL_API_ENDPOINT ?? null,
    },
    failpoints: { killAfterWrites: killAfterWritesFailpoint(e) },
    auth: { configFile: e.KEYSCOPE_CONFIG ?? null, dbPath: e.KEYSCOPE_AUTH_DB, secret: e.KEYSCOPE_AUTH_SECRET ?? null, publicUrl: e.KEYSCOPE_PUBLIC_URL ?? null },
    dashboard: { host: e.KEYSCOPE_DASHBOARD_HOST, port: e.KEYSCOPE_DASHBOARD_PORT, dev: e.NODE_ENV === 'development' },
  };
}

function killAfterWritesFailpoint(e: z.infer<typeof EnvSchema>): KillAfterWritesFailpoint | null {
  if (e.KEYSCOPE_FAILPOINT_KILL_AFTER_WRITES === undefined) {
    if (e.KEYSCOPE_FAILPOINT_KILL_ON !== undefined || e.KEYSCOPE_FAILPOINT_KILL_SIGNAL !== undefined) {
      throw new ConfigError('invalid configuration: KEYSCOPE_FAILPOINT_KILL_ON and _KILL_SIGNAL need KEYSCOPE_FAILPOINT_KILL_AFTER_WRITES');
    }
    return null;
  }
  return { writes: e.KEYSCOPE_FAILPOINT_KILL_AFTER_WRITES, kind: e.KEYSCOPE_FAILPOINT_KILL_ON ?? null, signal: e.KEYSCOPE_FAILPOINT_KILL_SIGNAL ?? 'SIGKILL' };
}

function elasticsearchConfig(e: z.infer<typeof EnvSchema>): ElasticsearchConfig {
  const nodes = e.KEYSCOPE_ES_NODE.split(',').map((n) => n.trim()).filter((n) => n !== '');
  for (const n of nodes) {
    if (!z.url({ protocol: /^https?$/ }).safeParse(n).success) throw new ConfigError(`invalid configuration: KEYSCOPE_ES_NODE: "${n}" is not an http(s) URL`);
  }
  if ((e.KEYSCOPE_ES_USERNAME === undefined) !== (e.KEYSCOPE_ES_PASSWORD === undefined)) {
    throw new ConfigError('invalid configuration: KEYSCOPE_ES_USERNAME and KEYSCOPE_ES_PASSWORD go together');
  }
  if (e.KEYSCOPE_ES_API_KEY !== undefined && e.KEYSCOPE_ES_USERNAME !== undefined) {
    throw new ConfigError('invalid configuration: set KEYSCOPE_ES_API_KEY or KEYSCOPE_ES_USERNAME/PASSWORD, not both');
  }
  const auth =
    e.KEYSCOPE_ES_API_KEY !== undefined ? { apiKey: e.KEYSCOPE_ES_API_KEY }
    : e.KEYSCOPE_ES_USERNAME !== undefined && e.KEYSCOPE_ES_PASSWORD !== undefined ? { username: e.KEYSCOPE_ES_USERNAME, password: e.KEYSCOPE_ES_PASSWORD }
    : null;
  return {
    nodes,
    auth,
    caFile: e.KEYSCOPE_ES_CA_FILE ?? null,
    indexPrefix: e.KEYSCOPE_ES_INDEX_PREFIX,
    bulkBytes: e.KEYSCOPE_ES_BULK_BYTES,
    bulkConcurrency: e.KEYSCOPE_ES_BULK_CONCURRENCY,
  };
}
