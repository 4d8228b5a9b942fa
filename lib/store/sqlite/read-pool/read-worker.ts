import { Worker } from 'node:worker_threads';
import { StoreError } from '../../types';
import type { SqlQuery } from '../sql/query';
import type { SortedRuns } from './read-session';
import { READ_WORKER_SOURCE } from './worker-source';

export type ReadWorkerData = { driverPath: string; path: string; busyTimeoutMs: number; cacheKib: number; /** The thread's nice level (Linux: per thread). */ nice: number };

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { name: string; message: string; code?: string } };
type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/** One worker thread with its own read-only connection; calls are answered in order. */
export class ReadWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: Error | null = null;

  constructor(data: ReadWorkerData) {
    this.worker = new Worker(READ_WORKER_SOURCE, { eval: true, workerData: data });
    this.worker.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref();
      if (m.ok) p.resolve(m.value);
      else p.reject(Object.assign(new StoreError(`SQLite read failed: ${m.error.message}`), { code: m.error.code }));
    });
    this.worker.on('error', (err) => this.fail(new StoreError(`SQLite read worker failed: ${err.message}`)));
    this.worker.on('exit', (code) => this.fail(new StoreError(`SQLite read worker exited (code ${code})`)));
    // An idle worker does not keep the process alive (a CLI that forgets close() still exits); a busy one does.
    this.worker.unref();
  }

  get alive(): boolean {
    return this.dead === null;
  }

  private fail(err: Error): void {
    this.dead ??= err;
    for (const p of this.pending.values()) p.reject(this.dead);
    this.pending.clear();
  }

  private call<T>(op: string, q?: SqlQuery): Promise<T> {
    if (this.dead !== null) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.ref();
      this.worker.postMessage(q === undefined ? { id, op } : { id, op, sql: q.sql, params: q.params });
    });
  }

  begin = (): Promise<void> => this.call('begin');
  end = (): Promise<void> => this.call('end');
  all = <T>(q: SqlQuery): Promise<T[]> => this.call('all', q);
  get = <T>(q: SqlQuery): Promise<T | undefined> => this.call('get', q);
  sorted = (q: SqlQuery): Promise<SortedRuns> => this.call('sorted', q);

  /** Stops the thread at once, mid-statement if need be; pending calls reject with `reason`. */
  async kill(reason: Error): Promise<void> {
    this.fail(reason);
    await this.worker.terminate();
  }
}
