import { describe, expect, it } from 'vitest';
import { PipelineFailedError } from '../../ingest/errors';
import { Pipeline } from '../../ingest/pipeline/pipeline';
import { makeOperation } from '../support/event-fixtures';
import { RecordingStore } from './support/fake-store';

const ops = (n: number, from = 0) => Array.from({ length: n }, (_, i) => makeOperation(from + i));
const checkpoint = (key: string) => ({ source: 'test', key, value: { done: true } });
const tick = () => new Promise((r) => setTimeout(r, 5));

function pipeline(store: RecordingStore, batchRecords = 1000, batchMaxAgeMs = 60_000) {
  return new Pipeline({ source: 'test', store, batchRecords, batchMaxAgeMs, maxWriteAttempts: 3, retryBaseMs: 1 });
}

describe('Pipeline', () => {
  it('cuts units into writes of at most batchRecords and writes the rest on flush', async () => {
    const store = new RecordingStore();
    const p = pipeline(store);
    await p.submit({ keyOperations: ops(2500) });
    await p.flush();
    expect(store.sizes()).toEqual([1000, 1000, 500]);
    expect(p.stats().totals).toMatchObject({ batches: 3, stored: 2500, duplicates: 0 });
  });

  it('commits a checkpoint with the write that holds the unit\'s last record, not before', async () => {
    const store = new RecordingStore();
    const p = pipeline(store);
    await p.submit({ keyOperations: ops(1500), checkpoints: [checkpoint('file-a')] });
    await p.submit({ keyOperations: ops(100, 1500), checkpoints: [checkpoint('file-b')] });
    await p.flush();
    expect(store.writes.map((w) => w.checkpoints?.map((c) => c.key))).toEqual([[], ['file-a', 'file-b']]);
    expect(store.writes.every((w) => w.source === 'test')).toBe(true);
  });

  it('writes a partial batch once its first item is batchMaxAgeMs old', async () => {
    const store = new RecordingStore();
    const p = pipeline(store, 1000, 20);
    const receipt = await p.submit({ keyOperations: ops(10) });
    expect(store.writes).toHaveLength(0);
    await receipt.committed;
    expect(store.sizes()).toEqual([10]);
  });

  it('writes an urgent unit as soon as the writer is free and settles its receipt after the commit', async () => {
    const store = new RecordingStore();
    const p = pipeline(store);
    const release = store.hold();
    const first = await p.submit({ keyOperations: ops(5) }, { urgent: true });
    const second = await p.submit({ keyOperations: ops(5, 5) }, { urgent: true });
    let settled = false;
    void second.committed.then(() => (settled = true));
    await tick();
    expect(settled).toBe(false);
    release();
    await Promise.all([first.committed, second.committed]);
    expect(store.sizes()).toEqual([5, 5]);
  });

  it('makes a source wait while one batch is being written and the next is full (bounded memory)', async () => {
    const store = new RecordingStore();
    let waiting!: () => void;
    const backpressure = new Promise<void>((r) => (waiting = r));
    const p = new Pipeline({ source: 'test', store, batchRecords: 100, batchMaxAgeMs: 60_000, onBackpressure: () => waiting() });
    const release = store.hold();
    await p.submit({ keyOperations: ops(100) }); // fills batch 1; its write starts and blocks
    await p.submit({ keyOperations: ops(99, 100) }); // batch 2 almost full
    let taken = false;
    const third = p.submit({ keyOperations: ops(50, 199) }).then(() => (taken = true));
    // The third unit's first item fills batch 2; its 49 others wait for room.
    await backpressure;
    expect(taken).toBe(false);
    expect(p.stats()).toMatchObject({ writing: 100, buffered: 100 });
    release();
    await third;
    await p.flush();
    expect(store.sizes()).toEqual([100, 100, 49]);
  });

  it('retries a failed write with the same batch', async () => {
    const store = new RecordingStore();
    store.failuresLeft = 2;
    const p = pipeline(store);
    await p.submit({ keyOperations: ops(3), checkpoints: [checkpoint('f')] });
    await p.flush();
    expect(store.writes).toHaveLength(1);
    expect(store.writes[0]!.checkpoints).toHaveLength(1);
  });

  it('fails closed when the retries are spent: receipts reject, later units are refused, nothing more is written', async () => {
    const store = new RecordingStore();
    store.failuresLeft = 3;
    const failures: Error[] = [];
    const p = new Pipeline({ source: 'test', store, batchRecords: 10, batchMaxAgeMs: 60_000, maxWriteAttempts: 3, retryBaseMs: 1, onFailure: (e) => failures.push(e) });
    const receipt = await p.submit({ keyOperations: ops(10) });
    await expect(receipt.committed).rejects.toBeInstanceOf(PipelineFailedError);
    await expect(p.submit({ keyOperations: ops(1, 10), checkpoints: [checkpoint('later')] })).rejects.toBeInstanceOf(PipelineFailedError);
    await expect(p.flush()).rejects.toBeInstanceOf(PipelineFailedError);
    expect(store.writes).toHaveLength(0);
    expect(failures).toHaveLength(1);
    expect(p.stats().failed).toBe(true);
  });

  it('refuses units after close and writes what was submitted before', async () => {
    const store = new RecordingStore();
    const p = pipeline(store);
    await p.submit({ keyOperations: ops(7) });
    await p.close();
    expect(store.sizes()).toEqual([7]);
    await expect(p.submit({ keyOperations: ops(1) })).rejects.toThrow(/closed/);
  });
});
