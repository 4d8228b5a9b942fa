import { createRequire } from 'node:module';
import { join } from 'node:path';
import { QueryTimeoutError } from '../../../queries/cost';
import { StoreError } from '../../types';
import type { ReadSession, SessionOptions } from './read-session';
import { ReadWorker, type ReadWorkerData } from './read-worker';

export type ReadPoolOptions = {
  path: string;
  /** Worker threads (each with its own read-only connection). */
  size: number;
  /** A session that runs longer is stopped (its worker terminated mid-statement) with QueryTimeoutError. */
  timeoutMs: number;
  busyTimeoutMs: number;
  cacheKib: number;
};

type Waiter = { heavy: boolean; resolve: (w: ReadWorker) => void; reject: (e: Error) => void };

/**
 * better-sqlite3's path, for the worker to require. Resolved from this module, else from
 * the working directory (a server bundle may not keep this module's location).
 */
function driverPath(): string {
  try {
    return createRequire(import.meta.url).resolve('better-sqlite3');
  } catch {
    return createRequire(join(process.cwd(), 'package.json')).resolve('better-sqlite3');
  }
}

/**
 * SQLite reads off the caller's event loop: a few worker threads, each with a read-only
 * connection, lend out one session (one read transaction) at a time. Heavy sessions may
 * hold all workers but one, so a year of percentiles never queues the on-call page's
 * small questions. Workers start on first use and are replaced when one is killed.
 */
export class ReadPool {
  private readonly idle: ReadWorker[] = [];
  private readonly waiting: Waiter[] = [];
  private live = 0;
  private heavyBusy = 0;
  private closed = false;
  private readonly data: ReadWorkerData;

  constructor(private readonly options: ReadPoolOptions) {
    if (options.size < 1) throw new Error('a read pool needs at least one worker');
    this.data = { driverPath: driverPath(), path: options.path, busyTimeoutMs: options.busyTimeoutMs, cacheKib: options.cacheKib };
  }

  private get heavyMax(): number {
    return Math.max(1, this.options.size - 1);
  }

  private spawn(): ReadWorker {
    this.live++;
    return new ReadWorker(this.data);
  }

  /** A worker now, or a place in the queue that `cancel` gives up. */
  private acquire(heavy: boolean): { worker: Promise<ReadWorker>; cancel: (e: Error) => void } {
    if (this.closed) return { worker: Promise.reject(new StoreError('store is closed')), cancel: () => {} };
    if (!heavy || this.heavyBusy < this.heavyMax) {
      const w = this.idle.pop() ?? (this.live < this.options.size ? this.spawn() : undefined);
      if (w !== undefined) {
        if (heavy) this.heavyBusy++;
        return { worker: Promise.resolve(w), cancel: () => {} };
      }
    }
    let waiter!: Waiter;
    const worker = new Promise<ReadWorker>((resolve, reject) => {
      waiter = { heavy, resolve, reject };
      this.waiting.push(waiter);
    });
    const cancel = (e: Error): void => {
      const i = this.waiting.indexOf(waiter);
      if (i === -1) return;
      this.waiting.splice(i, 1);
      waiter.reject(e);
    };
    return { worker, cancel };
  }

  /** Gives a worker back (or its slot, if it died) and serves the first waiter it can. */
  private release(w: ReadWorker): void {
    if (this.closed) void w.kill(new StoreError('store is closed'));
    if (w.alive) this.idle.push(w);
    else this.live--;
    for (let i = 0; i < this.waiting.length; i++) {
      const waiter = this.waiting[i]!;
      if (waiter.heavy && this.heavyBusy >= this.heavyMax) continue;
      const next = this.idle.pop() ?? (this.live < this.options.size ? this.spawn() : undefined);
      if (next === undefined) return;
      this.waiting.splice(i, 1);
      if (waiter.heavy) this.heavyBusy++;
      waiter.resolve(next);
      return;
    }
  }

  /** Runs `fn` in one read transaction on a worker, within the pool's time limit (waiting for a worker included). */
  async session<T>(fn: (s: ReadSession) => Promise<T>, opts: SessionOptions = {}): Promise<T> {
    const heavy = opts.heavy === true;
    let stop: Error | null = null;
    let worker: ReadWorker | null = null;
    let cancel: ((e: Error) => void) | null = null;
    const halt = (reason: Error): void => {
      stop ??= reason;
      if (worker !== null) void worker.kill(reason);
      cancel?.(reason);
    };
    const limitMs = opts.timeoutMs ?? this.options.timeoutMs;
    const timer = setTimeout(() => halt(new QueryTimeoutError(limitMs)), limitMs);
    const onAbort = (): void => halt(new StoreError('the request was cancelled'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (opts.signal?.aborted) throw new StoreError('the request was cancelled');
      const acquired = this.acquire(heavy);
      cancel = acquired.cancel;
      const w = await acquired.worker;
      cancel = null;
      try {
        if (stop !== null) throw stop;
        worker = w;
        await w.begin();
        const result = await fn({ all: w.all, get: w.get, sorted: w.sorted });
        await w.end();
        return result;
      } catch (err) {
        // A killed worker's calls fail with a generic error; the caller gets why it was stopped.
        throw stop ?? err;
      } finally {
        if (heavy) this.heavyBusy--;
        this.release(w);
      }
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Stops idle workers now and busy ones when their session ends. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(new StoreError('store is closed'));
    await Promise.all(this.idle.splice(0).map((w) => w.kill(new StoreError('store is closed'))));
  }
}
