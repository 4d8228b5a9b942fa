import type { DekRecord } from '../../model/dek-record';
import type { KeyOperation } from '../../model/key-operation';
import { ByteBudget, toLine, type FlowControlledSink } from './flow-control';
import { IntakeChannel, type IntakeCounters } from './intake-channel';
import { INTAKE_PATHS, type IntakeKind, type IntakeRejection } from '../../model/intake-protocol';

export interface IntakeHttpSinkOptions {
  /** Intake base URL, e.g. http://ingest:8088 (paths /v1/operations and /v1/dek-records are appended). */
  url: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** The emitter token, sent as Authorization: Bearer (docs/security.md, "Emitter tokens"). */
  token?: string;
  /** A batch leaves at this many lines (default 500)... */
  maxBatchLines?: number;
  /** ...or this many uncompressed bytes (default 1 MiB)... */
  maxBatchBytes?: number;
  /** ...or when its oldest line has waited this long (default 1000 ms). */
  flushIntervalMs?: number;
  /** Buffered bytes (queued + in flight, both kinds) at which writes return false (default 8 MiB). */
  highWaterMarkBytes?: number;
  /** Buffered bytes beyond which writes are refused and counted as dropped (default 4 × highWaterMarkBytes). */
  maxBufferedBytes?: number;
  /** Per request (default 10 s). */
  requestTimeoutMs?: number;
  /** Backoff before the n-th resend: random in [0, min(max, base × 2^(n-1))) (defaults 200 ms, 30 s). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Longest Retry-After honoured (default 60 s), so a confused server cannot stall the sink for hours. */
  maxRetryAfterMs?: number;
  /** Attempts per batch before it is dropped (default unlimited: retry until close gives up). */
  maxAttempts?: number;
  /** How long close() keeps delivering before it abandons what is left (default 30 s). */
  closeTimeoutMs?: number;
  /** Lines the intake refused, with its reasons (for a dead-letter log). */
  onRejected?: (kind: IntakeKind, rejections: Array<IntakeRejection & { record: string }>) => void;
  /** Batches abandoned (maxAttempts exhausted or close deadline). */
  onError?: (err: Error) => void;
  /** For tests: jitter source and the wait between attempts. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface IntakeHttpSinkStats {
  /** Events taken by writeOperation/writeDekRecord. */
  accepted: number;
  /** Events the intake stored. */
  sent: number;
  /** Events the intake refused (bad lines); not resent. */
  rejected: number;
  /** Events lost on this side: refused at the hard buffer limit, or abandoned (attempts, close). */
  dropped: number;
  /** Requests resent after 408/425/429/5xx, timeouts or network errors. */
  retried: number;
  /** Requests made, first attempts and resends. */
  requests: number;
  /** Events queued or in flight. */
  pending: number;
  bufferedBytes: number;
}

/**
 * Ships KeyOperations and DekRecords to the ingest intake as gzipped NDJSON batches (see
 * intake-protocol.ts for the contract). Memory is bounded by a byte budget: past the
 * high-water mark `write*` returns false and producers should `await drained()`; past the
 * hard limit new events are refused and counted as `dropped` — earlier events are never
 * evicted, and nothing is lost without a counter saying so.
 */
export class IntakeHttpSink implements FlowControlledSink {
  private readonly budget: ByteBudget;
  private readonly counters: IntakeCounters = { sent: 0, rejected: 0, dropped: 0, retried: 0, requests: 0 };
  private readonly channels: Record<IntakeKind, IntakeChannel>;
  private readonly stop = new AbortController();
  private readonly closeTimeoutMs: number;
  private accepted = 0;
  /** Writes refused at the hard limit: counted in `dropped` but never accepted, so not pending. */
  private refusedAtLimit = 0;
  private closed = false;

  constructor(options: IntakeHttpSinkOptions) {
    const hwm = options.highWaterMarkBytes ?? 8 * 1024 * 1024;
    this.budget = new ByteBudget(hwm, options.maxBufferedBytes ?? 4 * hwm);
    this.closeTimeoutMs = options.closeTimeoutMs ?? 30_000;
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const base = options.url.replace(/\/+$/, '');
    const channel = (kind: IntakeKind) =>
      new IntakeChannel({
        kind,
        url: `${base}${INTAKE_PATHS[kind]}`,
        headers: { ...options.headers, ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
        maxBatchLines: options.maxBatchLines ?? 500,
        maxBatchBytes: options.maxBatchBytes ?? 1024 * 1024,
        flushIntervalMs: options.flushIntervalMs ?? 1000,
        requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
        backoffBaseMs: options.backoffBaseMs ?? 200,
        backoffMaxMs: options.backoffMaxMs ?? 30_000,
        maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
        maxAttempts: options.maxAttempts ?? Number.POSITIVE_INFINITY,
        random: options.random ?? Math.random,
        // Waits end early when close() gives up.
        sleep: (ms) => abortable(sleep(ms), this.stop.signal),
        stop: this.stop.signal,
        counters: this.counters,
        release: (bytes) => this.budget.release(bytes),
        onRejected: options.onRejected,
        onError: options.onError,
      });
    this.channels = { operations: channel('operations'), dekRecords: channel('dekRecords') };
  }

  writeOperation(op: KeyOperation): boolean {
    return this.write('operations', op);
  }

  writeDekRecord(record: DekRecord): boolean {
    return this.write('dekRecords', record);
  }

  drained(): Promise<void> {
    return this.budget.drained();
  }

  /** Sends everything buffered and resolves when the intake has answered for all of it. */
  async flush(): Promise<void> {
    await Promise.all([this.channels.operations.flush(), this.channels.dekRecords.flush()]);
  }

  /**
   * Delivers what is buffered, for at most closeTimeoutMs; then abandons the rest (counted
   * as dropped) and rejects, so a shutdown never hangs on an unreachable intake.
   */
  async close(): Promise<void> {
    this.closed = true;
    const dropped = this.counters.dropped;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.stop.abort();
        resolve();
      }, this.closeTimeoutMs);
    });
    await Promise.race([this.flush(), deadline]);
    clearTimeout(timer);
    // After an abort the channels drain quickly: every remaining batch fails fast.
    await this.flush();
    const lost = this.counters.dropped - dropped;
    if (this.stop.signal.aborted) throw new Error(`IntakeHttpSink closed with ${lost} undelivered events`);
  }

  stats(): IntakeHttpSinkStats {
    return {
      accepted: this.accepted,
      ...this.counters,
      pending: this.accepted - this.counters.sent - this.counters.rejected - this.counters.dropped + this.refusedAtLimit,
      bufferedBytes: this.budget.used,
    };
  }

  private write(kind: IntakeKind, value: KeyOperation | DekRecord): boolean {
    if (this.closed) throw new Error('IntakeHttpSink is closed');
    const { line, bytes } = toLine(value);
    if (!this.budget.reserve(bytes)) {
      this.counters.dropped += 1;
      this.refusedAtLimit += 1;
      return false;
    }
    this.accepted += 1;
    this.channels[kind].enqueue(line, bytes);
    return !this.budget.full;
  }
}

function abortable(p: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done);
    void p.then(done, done);
  });
}
