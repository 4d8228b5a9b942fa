import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface RotatingNdjsonWriterOptions {
  dir: string;
  /** File name prefix, e.g. `operations` → operations-20260102T030405678Z-000001.ndjson. */
  prefix: string;
  /** A new file starts once the current one holds this many lines... */
  maxLines: number;
  /** ...or would pass this many bytes (a single longer line still gets a file of its own). */
  maxBytes: number;
  now: () => number;
  /** Called as bytes reach the OS (the write callback), so the owner can release its budget. */
  onWritten: (bytes: number, lines: number) => void;
  /** Called for lines lost to a write error (disk full, permissions): the owner counts them. */
  onDropped: (bytes: number, lines: number) => void;
}

/** Chunks handed to the stream at once; large enough to amortise syscalls, small enough to stay responsive. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Appends NDJSON lines to a series of files with sortable names, rotating by line count and
 * size. Lines are queued and pumped into an fs.WriteStream that is allowed to buffer only up
 * to its highWaterMark: when `write` returns false the pump waits for 'drain'.
 */
export class RotatingNdjsonWriter {
  readonly files: string[] = [];
  private queue: Array<{ line: string; bytes: number }> = [];
  private stream: WriteStream | null = null;
  private fileLines = 0;
  private fileBytes = 0;
  private seq = 0;
  private pump: Promise<void> | null = null;
  private outstanding = 0;
  private settledWaiters: Array<() => void> = [];
  private failure: Error | null = null;
  private dirReady: Promise<unknown> | null = null;

  constructor(private readonly options: RotatingNdjsonWriterOptions) {}

  get error(): Error | null {
    return this.failure;
  }

  /** Queues a line; false when the writer has failed (the caller counts the line as dropped). */
  enqueue(line: string, bytes: number): boolean {
    if (this.failure) return false;
    this.queue.push({ line, bytes });
    this.kick();
    return true;
  }

  private kick(): void {
    if (this.pump) return;
    // Starting on a microtask lets a burst of synchronous writes leave as one chunk.
    this.pump = Promise.resolve()
      .then(() => this.run())
      .finally(() => {
        this.pump = null;
        // Lines enqueued while the pump was winding down start a new one.
        if (this.queue.length > 0 && !this.failure) this.kick();
        else this.notifySettled();
      });
  }

  /** Resolves when every queued line has reached the OS; rejects if the writer failed. */
  async settled(): Promise<void> {
    while (this.pump || this.outstanding > 0) {
      if (this.pump) await this.pump;
      else await new Promise<void>((resolve) => this.settledWaiters.push(resolve));
    }
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    await this.settled().finally(() => this.endStream());
  }

  private async run(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.failure) {
        const first = this.queue[0]!;
        const full = this.fileLines >= this.options.maxLines || (this.fileBytes > 0 && this.fileBytes + first.bytes > this.options.maxBytes);
        if (!this.stream || full) await this.rotate();
        const stream = this.stream!;
        const { chunk, lines, bytes } = this.takeChunk();
        this.fileLines += lines;
        this.fileBytes += bytes;
        this.outstanding += 1;
        const ok = stream.write(chunk, (err) => {
          this.outstanding -= 1;
          if (err) {
            this.options.onDropped(bytes, lines);
            this.fail(err);
          } else {
            this.options.onWritten(bytes, lines);
          }
          this.notifySettled();
        });
        if (!ok) await waitForDrain(stream);
      }
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Takes lines for one write, never past the current file's line and byte limits. */
  private takeChunk(): { chunk: string; lines: number; bytes: number } {
    let count = 0;
    let bytes = 0;
    while (count < this.queue.length) {
      const next = this.queue[count]!;
      if (count > 0 && (this.fileLines + count >= this.options.maxLines || this.fileBytes + bytes + next.bytes > this.options.maxBytes || bytes + next.bytes > CHUNK_BYTES)) break;
      count += 1;
      bytes += next.bytes;
    }
    // One splice per chunk: shifting line by line is quadratic on a long queue.
    const parts = this.queue.splice(0, count);
    return { chunk: parts.map((p) => p.line).join(''), lines: count, bytes };
  }

  private async rotate(): Promise<void> {
    await this.endStream();
    this.dirReady ??= mkdir(this.options.dir, { recursive: true });
    await this.dirReady;
    for (;;) {
      this.seq += 1;
      const path = join(this.options.dir, `${this.options.prefix}-${compactTime(this.options.now())}-${String(this.seq).padStart(6, '0')}.ndjson`);
      // 'wx' never appends to or truncates someone else's file (another process, same millisecond).
      const stream = createWriteStream(path, { flags: 'wx' });
      const opened = await new Promise<Error | null>((resolve) => {
        stream.once('open', () => resolve(null));
        stream.once('error', (e) => resolve(e));
      });
      if (opened && (opened as NodeJS.ErrnoException).code === 'EEXIST') continue;
      if (opened) throw opened;
      stream.on('error', (e) => this.fail(e));
      this.stream = stream;
      this.files.push(path);
      this.fileLines = 0;
      this.fileBytes = 0;
      return;
    }
  }

  private async endStream(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    if (!stream || stream.destroyed) return;
    await new Promise<void>((resolve) => {
      stream.once('close', () => resolve());
      stream.end();
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const lost = this.queue;
    this.queue = [];
    if (lost.length > 0) this.options.onDropped(lost.reduce((n, l) => n + l.bytes, 0), lost.length);
  }

  private notifySettled(): void {
    if (this.outstanding > 0) return;
    const ws = this.settledWaiters;
    this.settledWaiters = [];
    for (const w of ws) w();
  }

  /** Lines still queued (not yet handed to the stream). */
  get queued(): number {
    return this.queue.length;
  }
}

function waitForDrain(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}

/** 2026-01-02T03:04:05.678Z → 20260102T030405678Z: sorts like the time and is safe in file names. */
export function compactTime(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, '');
}
