import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtobufLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deadLetters } from '../support/db';
import { startOtlpIntake, storedOperations, type OtlpHarness } from './otlp-harness';

let intake: OtlpHarness;
beforeEach(async () => {
  intake = await startOtlpIntake();
});
afterEach(async () => {
  await intake.close();
});

const KEK = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** Emits log records through the OpenTelemetry JS logs SDK and its OTLP exporter, then shuts it down (which flushes). */
async function emitLogs(exporter: JsonLogExporter | ProtobufLogExporter, when: Date): Promise<void> {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'attachments-svc', 'keyscope.tenant': 'globex' }),
    processors: [new BatchLogRecordProcessor({ exporter, scheduledDelayMillis: 10 })],
  });
  const logger = provider.getLogger('kms-client');
  logger.emit({
    timestamp: when,
    severityNumber: SeverityNumber.INFO,
    body: 'unwrapped a DEK',
    attributes: { 'keyscope.operation': 'unwrap', 'keyscope.kek': KEK, 'keyscope.dek.id': 'dek-9', 'keyscope.latency_ms': 18.5, 'keyscope.cache.hit': false, 'keyscope.bytes': 2048 },
  });
  logger.emit({ timestamp: when, severityNumber: SeverityNumber.WARN, body: 'slow request', attributes: { 'http.route': '/upload' } });
  // Claims to be a key operation but names no KEK and no latency.
  logger.emit({ timestamp: when, severityNumber: SeverityNumber.ERROR, body: 'unwrap failed', attributes: { 'keyscope.operation': 'unwrap', 'keyscope.outcome': 'failure', 'keyscope.error.class': 'throttled' } });
  await provider.shutdown();
}

describe('OTLP logs round trip through the OpenTelemetry JS SDK', () => {
  for (const [name, make] of [
    ['http/protobuf, gzip', (url: string) => new ProtobufLogExporter({ url, compression: CompressionAlgorithm.GZIP })],
    ['http/json', (url: string) => new JsonLogExporter({ url })],
  ] as const) {
    it(`stores key-operation log records, drops the rest, dead-letters the invalid (${name})`, async () => {
      const when = new Date(Date.now() - 30_000);
      await emitLogs(make(`${intake.url}/v1/logs`), when);
      expect(intake.server.otlpTotals.logs).toMatchObject({ records: 3, accepted: 1, rejected: 1, dropped: 1 });
      const [op] = storedOperations(intake.dbPath);
      expect(op).toMatchObject({
        time: when.toISOString(), service: 'attachments-svc', tenant: 'globex', operation: 'unwrap', kekId: KEK, dekId: 'dek-9',
        latencyMs: 18.5, cacheHit: false, bytes: 2048, outcome: 'success',
      });
      const [dl] = deadLetters(intake.dbPath);
      expect(dl!.location).toMatch(/^POST \/v1\/logs request \S+ resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[2\]$/);
      expect(dl!.reason.split('; ').sort()).toEqual(['keyscope.kek: required attribute is missing', 'keyscope.latency_ms: required attribute is missing']);
    });
  }
});
