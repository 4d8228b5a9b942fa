import { randomInt } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { Clock } from '../clock';
import type { SeededRandom } from '../random';
import type { CloudTrailRecord } from '../../model/cloudtrail-record';
import { trailObjectKey, uniqueSuffix } from './trail-path';

const gzip = promisify(gzipCb);

export interface TrailWriterOptions {
  /** Directory that will hold the `AWSLogs/...` tree. */
  root: string;
  clock: Clock;
  /** Source of file-name suffixes; seeded for reproducible trees, crypto-random otherwise. */
  random?: SeededRandom;
  /** Deliver a file once a buffer holds this many records. */
  maxRecordsPerFile?: number;
  /** Deliver a buffer once this much clock time has passed since its first record (CloudTrail: ~5 min). */
  flushIntervalMs?: number;
  /** Live mode: also check buffer age on a real timer, so a quiet trail still delivers. */
  timer?: boolean;
  timerPeriodMs?: number;
  /** Called after each timer check, delivery started or not (tests wait on it instead of sleeping). */
  onTimerCheck?: () => void;
  /** Files being written at once; `append` waits beyond this (backpressure, bounded memory). */
  maxInFlightFiles?: number;
}

export interface DeliveredFile {
  path: string;
  records: number;
}

interface Buffer_ {
  accountId: string;
  region: string;
  firstAt: number;
  records: unknown[];
}

/**
 * Buffers CloudTrail records and delivers them as CloudTrail does: gzip files of
 * `{"Records":[...]}`, one file per account and region per delivery, each written under a
 * temporary name and renamed, so that a reader never sees a partial file.
 */
export class TrailWriter {
  private readonly buffers = new Map<string, Buffer_>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly delivered: DeliveredFile[] = [];
  private readonly maxRecords: number;
  private readonly intervalMs: number;
  private readonly maxInFlight: number;
  private readonly nextRandom: () => number;
  private readonly timer: NodeJS.Timeout | undefined;
  private failure: unknown;
  private closed = false;
  private tmpCounter = 0;
  private recordsWritten = 0;
  private filesWritten = 0;

  constructor(private readonly opts: TrailWriterOptions) {
    this.maxRecords = Math.max(1, opts.maxRecordsPerFile ?? 1000);
    this.intervalMs = Math.max(0, opts.flushIntervalMs ?? 5 * 60_000);
    this.maxInFlight = Math.max(1, opts.maxInFlightFiles ?? 4);
    const rnd = opts.random;
    this.nextRandom = rnd ? () => rnd.next() : () => randomInt(0, 2 ** 32) / 2 ** 32;
    if (opts.timer) {
      this.timer = setInterval(() => {
        this.deliverAged();
        opts.onTimerCheck?.();
      }, opts.timerPeriodMs ?? (Math.min(this.intervalMs, 1000) || 1000));
      this.timer.unref();
    }
  }

  /** Accepts one record; resolves when it is buffered (waits only while too many files are being written). */
  async append(record: CloudTrailRecord): Promise<void> {
    if (this.closed) throw new Error('trail writer is closed');
    this.throwIfFailed();
    // A buffer that has waited long enough goes out before the new record joins any buffer.
    this.deliverAged();
    const key = `${record.recipientAccountId}/${record.awsRegion}`;
    let buf = this.buffers.get(key);
    if (!buf) {
      buf = { accountId: record.recipientAccountId, region: record.awsRegion, firstAt: this.opts.clock.now(), records: [] };
      this.buffers.set(key, buf);
    }
    buf.records.push(record);
    if (buf.records.length >= this.maxRecords) this.deliver(key);
    while (this.inFlight.size > this.maxInFlight) await Promise.race(this.inFlight);
    this.throwIfFailed();
  }

  /** Delivers everything buffered and waits for all files to be in place. */
  async flush(): Promise<void> {
    for (const key of [...this.buffers.keys()]) this.deliver(key);
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    this.throwIfFailed();
  }

  /** Waits for the files already being written to be in place; buffers stay buffered. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled(this.inFlight);
    this.throwIfFailed();
  }

  /** Refuses further records first, so nothing appended during the final flush is stranded. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.closed = true;
    await this.flush();
  }

  /** The most recent delivered files (paths relative to root), oldest first; kept short to bound memory. */
  get files(): readonly DeliveredFile[] {
    return this.delivered;
  }

  get stats(): { buffered: number; filesWritten: number; recordsWritten: number } {
    let buffered = 0;
    for (const b of this.buffers.values()) buffered += b.records.length;
    return { buffered, filesWritten: this.filesWritten, recordsWritten: this.recordsWritten };
  }

  private deliverAged(): void {
    const now = this.opts.clock.now();
    for (const [key, buf] of [...this.buffers]) if (now - buf.firstAt >= this.intervalMs) this.deliver(key);
  }

  private deliver(key: string): void {
    const buf = this.buffers.get(key);
    if (!buf || buf.records.length === 0) return;
    this.buffers.delete(key);
    const rel = trailObjectKey(buf.accountId, buf.region, this.opts.clock.now(), uniqueSuffix(this.nextRandom));
    const p: Promise<void> = this.writeAtomically(rel, buf.records)
      .then(() => {
        this.delivered.push({ path: rel, records: buf.records.length });
        if (this.delivered.length > 1000) this.delivered.shift();
        this.filesWritten += 1;
        this.recordsWritten += buf.records.length;
      })
      .catch((err: unknown) => {
        this.failure ??= err;
      })
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private async writeAtomically(rel: string, records: unknown[]): Promise<void> {
    const finalPath = path.join(this.opts.root, ...rel.split('/'));
    const dir = path.dirname(finalPath);
    await mkdir(dir, { recursive: true });
    // Same directory as the target, so the rename is atomic; the name matches no `*.json.gz` glob.
    const tmp = path.join(dir, `.${path.basename(finalPath)}.${process.pid}.${++this.tmpCounter}.tmp`);
    const body = await gzip(JSON.stringify({ Records: records }));
    const fh = await open(tmp, 'w', 0o644);
    try {
      await fh.writeFile(body);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, finalPath);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) {
      const err = this.failure;
      throw err instanceof Error ? err : new Error(`trail delivery failed: ${String(err)}`);
    }
  }
}
