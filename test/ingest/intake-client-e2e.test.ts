import { afterEach, describe, expect, it } from 'vitest';
import { IntakeHttpSink } from '../../lib/engine/sinks/intake-http-sink';
import type { KeyOperation } from '../../lib/model/key-operation';
import { makeDekRecord, makeOperation } from '../support/event-fixtures';
import { generateOperations } from '../support/key-operation-generator';
import { countRows, deadLetters } from './support/db';
import { startIntake, type IntakeHarness } from './support/intake-harness';

let intake: IntakeHarness | null = null;
afterEach(async () => {
  await intake?.close();
  intake = null;
});

describe('intake ← IntakeHttpSink (the engine\'s client) end to end', () => {
  it('stores every operation and DEK record the client sends, in gzip batches', async () => {
    intake = await startIntake();
    const sink = new IntakeHttpSink({ url: intake.url, maxBatchLines: 300, flushIntervalMs: 20 });
    const ops = generateOperations(7, 2000, { fromMs: Date.UTC(2026, 2, 1), toMs: Date.UTC(2026, 2, 1, 1) });
    for (const op of ops) if (!sink.writeOperation(op)) await sink.drained();
    for (let i = 0; i < 500; i++) sink.writeDekRecord(makeDekRecord(i));
    await sink.close();
    expect(sink.stats()).toMatchObject({ accepted: 2500, sent: 2500, rejected: 0, dropped: 0, pending: 0 });
    expect(countRows(intake.dbPath, 'key_operations')).toBe(2000);
    expect(countRows(intake.dbPath, 'dek_records')).toBe(500);
  });

  it('reports refused records to the client by line and dead-letters them here', async () => {
    intake = await startIntake();
    const refused: Array<{ line: number; error: string; record: string }> = [];
    const sink = new IntakeHttpSink({ url: intake.url, flushIntervalMs: 10, onRejected: (_kind, r) => refused.push(...r) });
    sink.writeOperation(makeOperation(1));
    // What a buggy emitter might send: a failure without its error class.
    sink.writeOperation({ ...makeOperation(2), outcome: 'failure', errorClass: null } as KeyOperation);
    sink.writeOperation(makeOperation(3));
    await sink.close();
    expect(sink.stats()).toMatchObject({ sent: 2, rejected: 1 });
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ line: 2, error: expect.stringMatching(/errorClass/) });
    expect(deadLetters(intake.dbPath)).toHaveLength(1);
  });

  it('splits batches the intake refuses as too large (413) and stores them all', async () => {
    intake = await startIntake({ maxBodyBytes: 8 * 1024 });
    // Uncompressed bodies would be too large: the client gzips, but 400 random operations still exceed 8 KiB.
    const sink = new IntakeHttpSink({ url: intake.url, maxBatchLines: 400, flushIntervalMs: 10 });
    const ops = generateOperations(11, 400, { fromMs: Date.UTC(2026, 2, 1), toMs: Date.UTC(2026, 2, 2) });
    for (const op of ops) sink.writeOperation(op);
    await sink.close();
    expect(sink.stats()).toMatchObject({ sent: 400, rejected: 0, dropped: 0 });
    expect(sink.stats().requests).toBeGreaterThan(2);
    expect(countRows(intake.dbPath, 'key_operations')).toBe(400);
  });
});
