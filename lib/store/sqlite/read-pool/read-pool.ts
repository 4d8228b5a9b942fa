import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { QueryTimeoutError } from '../../../questions/cost';
import { ReadCancelledError } from '../../read-signal';
import { StoreError } from '../../types';
import type { ReadSession, SessionOptions } from './read-session';
import { ReadWorker, type ReadWorkerData } from './read-worker';

export type ReadPoolOptions = {
  path: string;
  /** Worker threads for ordinary questions, and for heavy ones (each with its own read-only connection). */
  size: { light: number; heavy: number };
  /** A session that runs longer is stopped (its worker terminated mid-statement) with QueryTimeoutError. */
  timeoutMs: number;
  busyTimeoutMs: number;
  cacheKib: number;
};

type Waiter = { resolve: (w: ReadWorker) => void; reject: (e: Error) => void };

/**
 * better-sqlite3's path, for the worker to require. Resolved from this module, else from
 * the working directory: in Next's server bundle this module's resolve() may throw or
 * answer a module id rather than a file path.
 */
function driverPath(): string {
  try {
    const p = createRequire(import.meta.url).resolve('better-sqlite3');
    if (isAbsolute(p) && existsSync(p)) return p;
  } catch {
    // fall through
  }
  return createRequire(join(process.cwd(), 'package.json')).resolve('better-sqlite3');
}

/** Heavy workers run at this nice level (Linux sets it per thread), so they yield the CPU to light ones and to the web server. */
const HEAVY_NICE = 10;

/** Workers of one kind: started on first use, up to `size`, replaced when one is killed. */
class Lane {
  readonly idle: ReadWorker[] = [];
  readonly waiting: Waiter[] = [];
  live = 0;

  constructor(private readonly size: number, private readonly data: ReadWorkerData) {
    if (size < 1) throw new Error('a read pool lane needs at least one worker');
  }

  take(): ReadWorker | undefined {
    const w = this.idle.pop();
    if (w !== undefined || this.live >= this.size) return w;
    this.live++;
    return new ReadWorker(this.data);
  }

  /** Gives a worker back (or its slot, if it died) and serves the first waiter. */
  give(w: ReadWorker, closed: boolean): void {
    if (closed) void w.kill(new StoreError('store is closed'));
    if (w.alive) this.idle.push(w);
    else this.live--;
    if (this.waiting.length === 0) return;
    const next = this.take();
    if (next !== undefined) this.waiting.shift()!.resolve(next);
  }
}

/**
 * SQLite reads off the caller's event loop: worker threads, each with a read-only
 * connection, lend out one session (one read transaction) at a time. Heavy sessions (a
 * year of raw percentiles) have workers of their own, at a lower CPU priority on Linux,
 * so they never queue the on-call page's small questions nor take their CPU.
 */
export class ReadPool {
  private readonly lanes: { light: Lane; heavy: Lane };
  private closed = false;

  constructor(private readonly options: ReadPoolOptions) {
    const data: ReadWorkerData = { driverPath: driverPath(), path: options.path, busyTimeoutMs: options.busyTimeoutMs, cacheKib: options.cacheKib, nice: 0 };
    this.lanes = {
      light: new Lane(options.size.light, data),
      heavy: new Lane(options.size.heavy, { ...data, nice: process.platform === 'linux' ? HEAVY_NICE : 0 }),
    };
  }

  /** A worker now, or a place in the queue that `cancel` gives up. */
  private acquire(lane: Lane): { worker: Promise<ReadWorker>; cancel: (e: Error) => void } {
    if (this.closed) return { worker: Promise.reject(new StoreError('store is closed')), cancel: () => {} };
    const w = lane.take();
    if (w !== undefined) return { worker: Promise.resolve(w), cancel: () => {} };
    let waiter!: Waiter;
    const worker = new Promise<ReadWorker>((resolve, reject) => {
      waiter = { resolve, reject };
      lane.waiting.push(waiter);
    });
    const cancel = (e: Error): void => {
      const i = lane.waiting.indexOf(waiter);
      if (i === -1) return;
      lane.waiting.splice(i, 1);
      waiter.reject(e);
    };
    return { worker, cancel };
  }

  /** Runs `fn` in one read transaction on a worker, within the pool's time limit (waiting for a worker included). */
  async session<T>(fn: (s: ReadSession) => Promise<T>, opts: SessionOptions = {}): Promise<T> {
    const lane = opts.heavy === true ? this.lanes.heavy : this.lanes.light;
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
    const onAbort = (): void => halt(new ReadCancelledError());
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (opts.signal?.aborted) throw new ReadCancelledError();
      const acquired = this.acquire(lane);
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
        lane.give(w, this.closed);
      }
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Stops idle workers now and busy ones when their session ends. */
  async close(): Promise<void> {
    this.closed = true;
    const lanes = [this.lanes.light, this.lanes.heavy];
    for (const lane of lanes) for (const waiter of lane.waiting.splice(0)) waiter.reject(new StoreError('store is closed'));
    await Promise.all(lanes.flatMap((lane) => lane.idle.splice(0)).map((w) => w.kill(new StoreError('store is closed'))));
  }
}
