import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import { NDJSON_CONTENT_TYPE, interpretIntakeResponse, type IntakeKind, type IntakeRejection, type IntakeVerdict } from '../../model/intake-protocol';

const gzip = promisify(gzipCb);

/** Counters shared by the channels of one sink (see IntakeHttpSinkStats). */
export interface IntakeCounters {
  sent: number;
  rejected: number;
  dropped: number;
  retried: number;
  requests: number;
}

export interface IntakeChannelOptions {
  kind: IntakeKind;
  url: string;
  headers: Record<string, string>;
  maxBatchLines: number;
  maxBatchBytes: number;
  flushIntervalMs: number;
  requestTimeoutMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  maxRetryAfterMs: number;
  maxAttempts: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Aborted when close() gives up: in-flight requests and waits end, the rest is dropped. */
  stop: AbortSignal;
  counters: IntakeCounters;
  /** Returns a finished batch's bytes to the sink's budget. */
  release: (bytes: number) => void;
  onRejected?: (kind: IntakeKind, rejections: Array<IntakeRejection & { record: string }>) => void;
  onError?: (err: Error) => void;
}

interface Batch {
  lines: string[];
  bytes: number;
}

/**
 * Batches the lines of one kind and POSTs them to one intake path, one request at a time
 * (so batches arrive in order). A batch leaves when it is full by count or bytes, when the
 * oldest line has waited `flushIntervalMs`, or on flush().
 */
export class IntakeChannel {
  private queue: string[] = [];
  private queueBytes = 0;
  private forced = false;
  private timer: NodeJS.Timeout | null = null;
  private worker: Promise<void> | null = null;

  constructor(private readonly o: IntakeChannelOptions) {}

  enqueue(line: string, bytes: number): void {
    this.queue.push(line);
    this.queueBytes += bytes;
    if (this.full()) this.kick();
    else if (!this.worker) this.timer ??= setTimeout(() => this.force(), this.o.flushIntervalMs).unref();
  }

  /** Sends everything queued now and resolves when nothing is queued or in flight. */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.worker) {
      this.force();
      await this.worker;
    }
  }

  get pending(): number {
    return this.queue.length;
  }

  private full(): boolean {
    return this.queue.length >= this.o.maxBatchLines || this.queueBytes >= this.o.maxBatchBytes;
  }

  private force(): void {
    this.forced = true;
    this.kick();
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.worker) return;
    this.worker = this.run().finally(() => {
      this.worker = null;
      if (this.queue.length === 0) return;
      // Lines that arrived while the last batch was in flight: go now if due, else wait.
      if (this.forced || this.full()) this.kick();
      else this.timer ??= setTimeout(() => this.force(), this.o.flushIntervalMs).unref();
    });
  }

  private async run(): Promise<void> {
    while (this.queue.length > 0 && (this.forced || this.full())) {
      const batch = this.take();
      if (this.queue.length === 0) this.forced = false;
      try {
        await this.deliver(batch.lines);
      } catch (err) {
        // Not an intake answer (e.g. gzip failed): the batch cannot be sent at all.
        this.abandon(batch.lines.length, err instanceof Error ? err.message : String(err));
      } finally {
        this.o.release(batch.bytes);
      }
    }
  }

  private take(): Batch {
    let count = 0;
    let bytes = 0;
    while (count < this.queue.length && count < this.o.maxBatchLines) {
      const size = Buffer.byteLength(this.queue[count]!);
      if (count > 0 && bytes + size > this.o.maxBatchBytes) break;
      count += 1;
      bytes += size;
    }
    // One splice per batch: shifting line by line is quadratic on a long queue.
    const lines = this.queue.splice(0, count);
    this.queueBytes -= bytes;
    return { lines, bytes };
  }

  /** Sends lines until the intake stores or refuses them, or gives up (counted as dropped). */
  private async deliver(lines: string[]): Promise<void> {
    // fetch's BodyInit wants an ArrayBuffer-backed view; copy the gzip output once per batch.
    const body = new Uint8Array(await gzip(Buffer.from(lines.join(''))));
    for (let attempt = 1; ; attempt++) {
      if (this.o.stop.aborted) return this.abandon(lines.length, 'abandoned at close');
      const verdict = await this.post(body, lines.length);
      if (verdict.kind === 'split') {
        const half = Math.ceil(lines.length / 2);
        await this.deliver(lines.slice(0, half));
        await this.deliver(lines.slice(half));
        return;
      }
      if (verdict.kind === 'done') {
        this.o.counters.sent += verdict.stored;
        this.o.counters.rejected += verdict.refused;
        if (verdict.refused > 0) {
          const rejections = verdict.rejections.map((r) => ({ ...r, record: lines[r.line - 1]!.trimEnd() }));
          this.o.onRejected?.(this.o.kind, rejections);
        }
        return;
      }
      if (attempt >= this.o.maxAttempts) return this.abandon(lines.length, `failed after ${attempt} attempts (${verdict.reason})`);
      this.o.counters.retried += 1;
      await this.o.sleep(this.backoff(attempt, verdict.retryAfterMs));
    }
  }

  private abandon(lines: number, reason: string): void {
    this.o.counters.dropped += lines;
    this.o.onError?.(new Error(`${this.o.kind}: ${lines} events not delivered to the intake: ${reason}`));
  }

  private async post(body: Uint8Array<ArrayBuffer>, lines: number): Promise<IntakeVerdict> {
    this.o.counters.requests += 1;
    try {
      const res = await fetch(this.o.url, {
        method: 'POST',
        headers: { ...this.o.headers, 'content-type': NDJSON_CONTENT_TYPE, 'content-encoding': 'gzip' },
        body,
        signal: AbortSignal.any([this.o.stop, AbortSignal.timeout(this.o.requestTimeoutMs)]),
      });
      const text = await res.text();
      return interpretIntakeResponse(res.status, text, res.headers.get('retry-after'), lines, Date.now());
    } catch (err) {
      // Timeouts, refused or reset connections: nothing was stored, so resending is safe.
      const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      return { kind: 'retry', retryAfterMs: null, reason };
    }
  }

  /** Full-jitter exponential backoff, never shorter than the server's Retry-After (capped). */
  private backoff(attempt: number, retryAfterMs: number | null): number {
    const ceiling = Math.min(this.o.backoffMaxMs, this.o.backoffBaseMs * 2 ** (attempt - 1));
    const jittered = Math.floor(this.o.random() * ceiling);
    return retryAfterMs === null ? jittered : Math.max(jittered, Math.min(retryAfterMs, this.o.maxRetryAfterMs));
  }
}
