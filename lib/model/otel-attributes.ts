/**
 * The OpenTelemetry contract for key operations (docs/otel.md): the attributes a span or
 * log record carries to be stored as a KeyOperation. The receiver (ingest/sources/otlp-http)
 * reads them and the engine's OTLP sink writes them, so both name them from here.
 */
export const OTEL_ATTR = {
  /** What marks a record as a key operation: one of KEY_OPERATION_KINDS. On the span or log record only. */
  operation: 'keyscope.operation',
  /** The emitter's own UUID for the operation; without it the id comes from trace and span id. */
  operationId: 'keyscope.operation.id',
  kek: 'keyscope.kek',
  kekVersion: 'keyscope.kek.version',
  dekId: 'keyscope.dek.id',
  objectId: 'keyscope.object.id',
  tenant: 'keyscope.tenant',
  outcome: 'keyscope.outcome',
  errorClass: 'keyscope.error.class',
  errorCode: 'keyscope.error.code',
  cacheHit: 'keyscope.cache.hit',
  bytes: 'keyscope.bytes',
  /** Log records only: a span's latency is its end minus its start. */
  latencyMs: 'keyscope.latency_ms',
  principal: 'keyscope.principal',
  kmsRequestId: 'keyscope.kms.request_id',
  /** What the AWS SDK instrumentation names the request id; read when keyscope.kms.request_id is absent. */
  awsRequestId: 'aws.request_id',
  /** OpenTelemetry semantic conventions, usually on the resource. */
  serviceName: 'service.name',
  region: 'cloud.region',
  accountId: 'cloud.account.id',
} as const;

/** OTLP/HTTP paths (OTLP specification, "OTLP/HTTP Request"). */
export const OTLP_PATHS = { traces: '/v1/traces', logs: '/v1/logs' } as const;
export type OtlpSignal = keyof typeof OTLP_PATHS;
