import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../lib/engine/clock';
import { isFlowControlled } from '../../../lib/engine/sinks/flow-control';
import { NdjsonFileSink } from '../../../lib/engine/sinks/ndjson-file-sink';
import { DekRecordSchema } from '../../../lib/model/dek-record';
import { KeyOperationSchema } from '../../../lib/model/key-operation';
import { makeDekRecord, makeOperation } from '../../support/event-fixtures';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keyscope-ndjson-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function linesOf(sub: string): Promise<{ files: string[]; lines: string[][] }> {
  const files = (await readdir(join(dir, sub))).sort();
  const lines = await Promise.all(files.map(async (f) => (await readFile(join(dir, sub, f), 'utf8')).split('\n')));
  for (const l of lines) expect(l.pop()).toBe(''); // every file ends with a newline
  return { files, lines };
}

describe('NdjsonFileSink', () => {
  it('writes NDJSON that round-trips through KeyOperationSchema and DekRecordSchema', async () => {
    const sink = new NdjsonFileSink({ dir });
    expect(isFlowControlled(sink)).toBe(true);
    const ops = Array.from({ length: 25 }, (_, i) => makeOperation(i));
    const deks = Array.from({ length: 7 }, (_, i) => makeDekRecord(i));
    for (const op of ops) sink.writeOperation(op);
    for (const d of deks) sink.writeDekRecord(d);
    await sink.close();

    const o = await linesOf('operations');
    expect(o.files).toHaveLength(1);
    expect(o.lines[0]!.map((l) => KeyOperationSchema.parse(JSON.parse(l)))).toEqual(ops);
    const d = await linesOf('dek-records');
    expect(d.lines[0]!.map((l) => DekRecordSchema.parse(JSON.parse(l)))).toEqual(deks);
    expect(sink.stats()).toMatchObject({ written: { operations: 25, dekRecords: 7 }, dropped: 0, bufferedBytes: 0 });
  });

  it('rotates by line count into files whose names sort in write order', async () => {
    const sink = new NdjsonFileSink({ dir, maxLinesPerFile: 3 });
    const ops = Array.from({ length: 9 }, (_, i) => makeOperation(i));
    for (const op of ops.slice(0, 7)) sink.writeOperation(op);
    // A flush between writes does not start a new file.
    await sink.flush();
    for (const op of ops.slice(7)) sink.writeOperation(op);
    await sink.close();

    const { files, lines } = await linesOf('operations');
    expect(files).toEqual(sink.stats().files.operations.map((f) => basename(f)));
    expect(lines.map((l) => l.length)).toEqual([3, 3, 3]);
    for (const f of files) expect(f).toMatch(/^operations-\d{8}T\d{9}Z-\d{6}\.ndjson$/);
    const ids = lines.flat().map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids).toEqual(ops.map((o) => o.id));
  });

  it('rotates by size and names files by the given clock', async () => {
    const clock = new SimulatedClock(Date.UTC(2026, 4, 6, 7, 8, 9, 10));
    const lineBytes = Buffer.byteLength(JSON.stringify(makeDekRecord(0))) + 1;
    const sink = new NdjsonFileSink({ dir, maxBytesPerFile: lineBytes * 2 + 10, clock });
    for (let i = 0; i < 5; i++) sink.writeDekRecord(makeDekRecord(i));
    await sink.close();
    const { files, lines } = await linesOf('dek-records');
    expect(lines.map((l) => l.length)).toEqual([2, 2, 1]);
    expect(files[0]).toBe('dek-records-20260506T070809010Z-000001.ndjson');
  });

  it('signals backpressure at the high-water mark, refuses (and counts) past the hard limit, and delivers what it accepted', async () => {
    // Same-size lines (only the UUID differs) make the limits exact.
    const op = () => ({ ...makeOperation(1), id: randomUUID() });
    const lineBytes = Buffer.byteLength(JSON.stringify(op())) + 1;
    const sink = new NdjsonFileSink({ dir, highWaterMarkBytes: lineBytes * 4, maxBufferedBytes: lineBytes * 10 + 5 });
    const results: boolean[] = [];
    // Writes are synchronous, so nothing reaches the disk during this loop.
    for (let i = 0; i < 14; i++) results.push(sink.writeOperation(op()));
    expect(results.slice(0, 3)).toEqual([true, true, true]);
    expect(results.slice(3)).toEqual(Array(11).fill(false));
    expect(sink.stats().dropped).toBe(4);
    expect(sink.stats().bufferedBytes).toBeLessThanOrEqual(lineBytes * 10 + 5);

    await sink.drained();
    expect(sink.stats().bufferedBytes).toBeLessThan(lineBytes * 4);
    await sink.close();
    const { lines } = await linesOf('operations');
    expect(lines.flat()).toHaveLength(10);
    expect(sink.stats().written.operations).toBe(10);
  });

  it('moves a large volume through the stream without losing or reordering lines', async () => {
    const sink = new NdjsonFileSink({ dir, maxLinesPerFile: 5000, highWaterMarkBytes: 256 * 1024 });
    let waits = 0;
    for (let i = 0; i < 12_000; i++) {
      if (!sink.writeOperation({ ...makeOperation(i % 9), traceId: `t-${i}` })) {
        waits += 1;
        await sink.drained();
      }
    }
    await sink.close();
    expect(waits).toBeGreaterThan(0);
    const { lines } = await linesOf('operations');
    expect(lines.map((l) => l.length)).toEqual([5000, 5000, 2000]);
    expect(lines.flat().map((l) => (JSON.parse(l) as { traceId: string }).traceId)).toEqual(Array.from({ length: 12_000 }, (_, i) => `t-${i}`));
    expect(sink.stats().dropped).toBe(0);
  });

  it('reports a write failure from flush and counts the lost events as dropped', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'operations'), 'not a directory');
    const sink = new NdjsonFileSink({ dir });
    sink.writeOperation(makeOperation(0));
    sink.writeOperation(makeOperation(1));
    sink.writeDekRecord(makeDekRecord(0));
    await expect(sink.flush()).rejects.toThrow();
    expect(sink.stats().dropped).toBe(2);
    expect(sink.stats().written.dekRecords).toBe(1);
    expect(sink.writeOperation(makeOperation(2))).toBe(false);
    expect(sink.stats().dropped).toBe(3);
    await expect(sink.close()).rejects.toThrow();
    expect(() => sink.writeDekRecord(makeDekRecord(1))).toThrow(/closed/);
  });
});
