import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Attributes, type HrTime, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createHash } from 'node:crypto';
import type { DekRecord } from '../../model/dek-record';
import type { KeyOperation } from '../../model/key-operation';
import { OTEL_ATTR as A, OTLP_PATHS } from '../../model/otel-attributes';
import type { EventSink } from './event-sink';
import { ByteBudget, isFlowControlled, type FlowControlledSink } from './flow-control';

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface OtlpTraceSinkOptions {
  /** The receiver: a base URL (…/v1/traces is appended) or the full traces URL. */
  url: string;
  protocol?: OtlpProtocol;
  /** Request bodies gzipped (default true), as the NDJSON intake sink sends them. */
  gzip?: boolean;
  headers?: Record<string, string>;
  /** The emitter token, sent as Authorization: Bearer. */
  token?: string;
  /** OTLP carries operations only: DEK records go here (files or the NDJSON intake). */
  dekRecords: EventSink;
  /** Spans ended but not yet exported at which writes return false (default 4096)... */
  highWaterMarkSpans?: number;
  /** ...and beyond which they are refused and counted as dropped (default 4 × highWaterMarkSpans). */
  maxBufferedSpans?: number;
  /** Spans per export request (default 512). */
  maxExportBatchSize?: number;
  /** Longest a span waits for a partial batch (default 200 ms). */
  scheduledDelayMillis?: number;
  /** How long one export may take, the SDK's retries included (default 10 s). */
  exportTimeoutMs?: number;
  /** An export the SDK gave up on (after its own retries). */
  onError?: (err: Error) => void;
}

export interface OtlpTraceSinkStats {
  accepted: number;
  exported: number;
  /** Refused at the buffer limit, or in an export that failed. */
  dropped: number;
  pending: number;
}

/** An exporter that reports how each export ended, so the sink knows what is still buffered. */
class SettlingExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly settled: (spans: number, error: Error | null) => void,
  ) {}

  export(spans: ReadableSpan[], done: Parameters<SpanExporter['export']>[1]): void {
    this.inner.export(spans, (result) => {
      this.settled(spans.length, result.code === 0 ? null : (result.error ?? new Error('OTLP export failed')));
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** Milliseconds since the epoch (fractional) as OpenTelemetry's [seconds, nanoseconds]. */
function hrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.min(999_999_999, Math.round((ms - seconds * 1000) * 1e6));
  return [seconds, nanos];
}

/** The operation's trace id as a W3C trace id: a UUID's hex as it is, anything else hashed. */
function w3cTraceId(traceId: string): string {
  const hex = traceId.replace(/-/g, '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex) && !/^0+$/.test(hex) ? hex : createHash('sha256').update(traceId).digest('hex').slice(0, 32);
}

function attributesOf(op: KeyOperation): Attributes {
  const a: Attributes = {
    [A.operation]: op.operation,
    [A.operationId]: op.id,
    [A.tenant]: op.tenant,
    [A.kek]: op.kekId,
    [A.outcome]: op.outcome,
    [A.bytes]: op.bytes,
  };
  const optional: Array<[string, string | boolean | null | undefined]> = [
    [A.kekVersion, op.kekVersion], [A.dekId, op.dekId], [A.objectId, op.objectId], [A.errorClass, op.errorClass],
    [A.errorCode, op.errorCode], [A.cacheHit, op.cacheHit], [A.principal, op.principal], [A.region, op.region],
    [A.accountId, op.accountId], [A.kmsRequestId, op.kmsRequestId],
  ];
  for (const [name, value] of optional) if (value !== null && value !== undefined) a[name] = value;
  return a;
}

/**
 * Reports each KeyOperation as an OpenTelemetry span through the official JS SDK (a
 * BatchSpanProcessor and the OTLP/HTTP exporter), with the attributes of docs/otel.md:
 * the span starts at the operation's time and lasts its latency, in the operation's trace,
 * with one resource (service.name) per service. Memory is bounded like IntakeHttpSink's:
 * past the high-water mark writes return false, past the hard limit spans are dropped and
 * counted (the SDK's own queue is sized so that it never drops first).
 */
export class OtlpTraceSink implements FlowControlledSink {
  private readonly budget: ByteBudget;
  private readonly processor: BatchSpanProcessor;
  private readonly tracers = new Map<string, Tracer>();
  private readonly settledWaiters: Array<() => void> = [];
  private readonly counts = { accepted: 0, exported: 0, failed: 0, refused: 0 };
  private closed = false;

  constructor(private readonly o: OtlpTraceSinkOptions) {
    const hwm = o.highWaterMarkSpans ?? 4096;
    this.budget = new ByteBudget(hwm, o.maxBufferedSpans ?? 4 * hwm);
    const base = o.url.replace(/\/+$/, '');
    const url = base.endsWith(OTLP_PATHS.traces) ? base : `${base}${OTLP_PATHS.traces}`;
    const Exporter = o.protocol === 'http/json' ? JsonTraceExporter : ProtobufTraceExporter;
    const exporter = new SettlingExporter(new Exporter({ url, headers: { ...o.headers, ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) }, timeoutMillis: o.exportTimeoutMs ?? 10_000, compression: o.gzip === false ? CompressionAlgorithm.NONE : CompressionAlgorithm.GZIP }), (n, err) => this.settled(n, err));
    this.processor = new BatchSpanProcessor(exporter, {
      maxQueueSize: this.budget.hardLimit,
      maxExportBatchSize: o.maxExportBatchSize ?? 512,
      scheduledDelayMillis: o.scheduledDelayMillis ?? 200,
    });
  }

  writeOperation(op: KeyOperation): boolean {
    if (this.closed) throw new Error('OtlpTraceSink is closed');
    if (!this.budget.reserve(1)) {
      this.counts.refused += 1;
      return false;
    }
    this.counts.accepted += 1;
    const traceId = w3cTraceId(op.traceId);
    // The engine call's trace, continued as if from a remote parent named after it.
    const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: traceId.slice(0, 16), traceFlags: TraceFlags.SAMPLED, isRemote: true });
    const startMs = Date.parse(op.time);
    const span = this.tracer(op.service).startSpan(`keyscope.${op.operation}`, { kind: SpanKind.CLIENT, startTime: hrTime(startMs), attributes: attributesOf(op) }, parent);
    if (op.outcome === 'failure') span.setStatus({ code: SpanStatusCode.ERROR, message: op.errorCode ?? op.errorClass ?? 'failure' });
    span.end(hrTime(startMs + op.latencyMs));
    return !this.budget.full;
  }

  /** False when the DEK records' own sink asks producers to wait. */
  writeDekRecord(record: DekRecord): boolean {
    const more: unknown = this.o.dekRecords.writeDekRecord(record);
    return more !== false;
  }

  drained(): Promise<void> {
    const records = this.o.dekRecords;
    return Promise.all([this.budget.drained(), isFlowControlled(records) ? records.drained() : undefined]).then(() => undefined);
  }

  /** Resolves when every span written so far has been exported or counted as dropped. */
  async flush(): Promise<void> {
    // A failed export rejects forceFlush; its spans are already counted as dropped.
    await Promise.all([this.processor.forceFlush().catch(() => undefined), this.o.dekRecords.flush()]);
    // forceFlush does not wait for an export the timer had already started.
    while (this.stats().pending > 0) await new Promise<void>((resolve) => this.settledWaiters.push(resolve));
  }

  /** Delivers what is buffered; rejects if any span was lost, so a run never under-reports silently. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await Promise.all([this.processor.shutdown(), this.o.dekRecords.close()]);
    const { dropped } = this.stats();
    if (dropped > 0) throw new Error(`OtlpTraceSink lost ${dropped} of ${this.counts.accepted + this.counts.refused} spans`);
  }

  stats(): OtlpTraceSinkStats {
    const { accepted, exported, failed, refused } = this.counts;
    return { accepted, exported, dropped: failed + refused, pending: this.budget.used };
  }

  private tracer(service: string): Tracer {
    let t = this.tracers.get(service);
    if (t === undefined) {
      const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ [A.serviceName]: service }), spanProcessors: [this.processor] });
      t = provider.getTracer('keyscope-engine');
      this.tracers.set(service, t);
    }
    return t;
  }

  private settled(spans: number, error: Error | null): void {
    if (error === null) this.counts.exported += spans;
    else {
      this.counts.failed += spans;
      this.o.onError?.(error);
    }
    this.budget.release(spans);
    for (const w of this.settledWaiters.splice(0)) w();
  }
}
