import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runTraffic } from '../../../lib/engine/traffic/generator';
import type { KeyOperation } from '../../../lib/model/key-operation';
import { readNdjson, smallRun } from '../../support/traffic-run';
import { startOtlpIntake, storedOperations, type OtlpHarness } from './otlp-harness';

let intake: OtlpHarness | undefined;
afterEach(async () => {
  await intake?.close();
});

describe('npm run traffic -- --otlp', () => {
  it('stores the same key operations over OTLP as the same run writes to files, and still writes DEK records', async () => {
    const start = new Date(Date.now() - 3_600_000).toISOString();
    const flags = { duration: '5m', rate: '2', start, speed: 'max' as const, scenario: 'throttling' as const };
    const files = smallRun(flags);
    await runTraffic(files);
    const expected = readNdjson<KeyOperation>(`${files.outDir}/operations`);

    intake = await startOtlpIntake();
    const viaOtlp = smallRun({ ...flags, otlp: intake.url });
    const summary = await runTraffic(viaOtlp);
    expect(summary.counters.operations).toBe(expected.length);
    expect(expected.some((op) => op.outcome === 'failure')).toBe(true);

    const byId = new Map(storedOperations(intake.dbPath).map((op) => [op.id, op]));
    expect(byId.size).toBe(expected.length);
    // The engine names the KMS request behind each call it made (not behind cache hits).
    expect(expected.filter((op) => op.kmsRequestId != null).length).toBeGreaterThan(0);
    for (const op of expected) {
      const { latencyMs, ...fields } = op;
      const { latencyMs: storedLatency, ...stored } = byId.get(op.id)!;
      expect(stored).toEqual({ ...fields, kmsRequestId: op.kmsRequestId ?? null, traceId: op.traceId.replace(/-/g, '') });
      // OTLP times are whole nanoseconds.
      expect(Math.abs(storedLatency - latencyMs)).toBeLessThanOrEqual(1e-6);
    }
    expect(existsSync(`${viaOtlp.outDir}/operations`)).toBe(false);
    expect(readNdjson(`${viaOtlp.outDir}/dek-records`).length).toBe(readNdjson(`${files.outDir}/dek-records`).length);
  });
});
