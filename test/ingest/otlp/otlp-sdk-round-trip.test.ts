import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MemorySink } from '../../../lib/engine/sinks/event-sink';
import { OtlpTraceSink, type OtlpProtocol } from '../../../lib/engine/sinks/otlp-trace-sink';
import type { KeyOperation } from '../../../lib/model/key-operation';
import { makeDekRecord, makeOperation } from '../../support/event-fixtures';
import { countRows } from '../support/db';
import { startOtlpIntake, storedOperations, type OtlpHarness } from './otlp-harness';

let intake: OtlpHarness | undefined;
afterEach(async () => {
  await intake?.close();
  intake = undefined;
});

/** Operations as the engine makes them: recent, with a UUID trace id, every tenth a failure, half with the KMS request id. */
function operations(n: number): KeyOperation[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    ...makeOperation(i), time: new Date(now - (n - i) * 1000).toISOString(), traceId: randomUUID(), kmsRequestId: i % 2 === 0 ? randomUUID() : null,
  }));
}

const expected = (op: KeyOperation) => ({ ...op, kmsRequestId: op.kmsRequestId ?? null, traceId: op.traceId.replace(/-/g, '') });

describe('OTLP round trip through the OpenTelemetry JS SDK', () => {
  for (const [protocol, gzip] of [['http/protobuf', true], ['http/protobuf', false], ['http/json', true]] as Array<[OtlpProtocol, boolean]>) {
    it(`stores every key operation with its fields (${protocol}${gzip ? ', gzip' : ''})`, async () => {
      intake = await startOtlpIntake();
      const dekRecords = new MemorySink();
      const sink = new OtlpTraceSink({ url: intake.url, protocol, gzip, dekRecords, maxExportBatchSize: 16, scheduledDelayMillis: 10 });
      const ops = operations(40);
      for (const op of ops) sink.writeOperation(op);
      sink.writeDekRecord(makeDekRecord(1));
      await sink.close();
      expect(sink.stats()).toEqual({ accepted: 40, exported: 40, dropped: 0, pending: 0 });
      // The SDK sent several requests (16 spans each), with one resource per service.
      expect(intake.server.otlpTotals.traces).toMatchObject({ records: 40, accepted: 40, rejected: 0, dropped: 0 });
      expect(intake.server.otlpTotals.traces.requests).toBeGreaterThanOrEqual(3);
      // /healthz says what OTLP brought.
      const health = (await (await fetch(`${intake.url}/healthz`)).json()) as { otlp: { traces: { accepted: number } } };
      expect(health.otlp.traces.accepted).toBe(40);
      expect(storedOperations(intake.dbPath)).toEqual(ops.map(expected));
      expect(dekRecords.dekRecords).toHaveLength(1);
      expect(countRows(intake.dbPath, 'dead_letters')).toBe(0);
    });
  }

  it('stores nothing twice when the same operations are exported again', async () => {
    intake = await startOtlpIntake();
    const ops = operations(10);
    for (let round = 0; round < 2; round++) {
      const sink = new OtlpTraceSink({ url: intake.url, dekRecords: new MemorySink(), scheduledDelayMillis: 10 });
      for (const op of ops) sink.writeOperation(op);
      await sink.close();
    }
    expect(intake.server.otlpTotals.traces.accepted).toBe(20);
    expect(countRows(intake.dbPath, 'key_operations')).toBe(10);
  });

  it('counts what it could not deliver and says so on close', async () => {
    intake = await startOtlpIntake();
    const url = intake.url;
    await intake.close();
    intake = undefined;
    const errors: Error[] = [];
    const sink = new OtlpTraceSink({ url, dekRecords: new MemorySink(), scheduledDelayMillis: 10, exportTimeoutMs: 500, onError: (e) => errors.push(e) });
    sink.writeOperation(operations(1)[0]!);
    await expect(sink.close()).rejects.toThrow(/lost 1 of 1 spans/);
    expect(sink.stats()).toMatchObject({ accepted: 1, exported: 0, dropped: 1, pending: 0 });
    expect(errors.length).toBeGreaterThan(0);
  });
});
