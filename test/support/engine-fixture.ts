import { SimulatedClock } from '../../lib/engine/clock';
import { EnvelopeEngine, type EnvelopeEngineOptions } from '../../lib/engine/engine';
import type { KekProvider } from '../../lib/engine/kek/provider';
import { SeededRandom } from '../../lib/engine/random';
import { MemorySink } from '../../lib/engine/sinks/event-sink';
import { AesGcmKekProvider } from './aes-gcm-kek-provider';
import { RecordingKekProvider } from './recording-kek-provider';

export const T0 = Date.UTC(2025, 4, 20, 12, 0, 0);

export const CALLER = {
  type: 'AssumedRole' as const,
  arn: 'arn:aws:sts::111122223333:assumed-role/orders-api/i-0abc',
  accountId: '111122223333',
  principalId: 'AROAORDERSAPI:i-0abc',
  roleArn: 'arn:aws:iam::111122223333:role/orders-api',
  sourceIp: '10.0.1.23',
  userAgent: 'keyscope-engine/0.1',
};

export interface EngineFixture {
  engine: EnvelopeEngine;
  provider: RecordingKekProvider;
  sink: MemorySink;
  clock: SimulatedClock;
  kekId: string;
}

/**
 * An engine over a recording wrapper of a real provider (the test AES-GCM KMS unless
 * given). `sink` is the MemorySink, whether or not the engine was given another one.
 */
export function makeEngine(
  overrides: Partial<Omit<EnvelopeEngineOptions, 'provider' | 'kekId' | 'clock'>> = {},
  base?: { provider: KekProvider; kekId: string; clock?: SimulatedClock },
): EngineFixture & { inner: KekProvider } {
  const clock = base?.clock ?? new SimulatedClock(T0);
  let inner = base?.provider;
  let kekId = base?.kekId;
  if (!inner || !kekId) {
    const kms = new AesGcmKekProvider();
    kekId = kms.createKey();
    inner = kms;
  }
  const provider = new RecordingKekProvider(inner);
  const sink = new MemorySink();
  const { sink: sinkOverride, ...rest } = overrides;
  const engine = new EnvelopeEngine({
    provider,
    kekId,
    dekPolicy: { kind: 'per-object' },
    decryptCache: false,
    clock,
    random: new SeededRandom(42),
    sink: sinkOverride ?? sink,
    service: 'orders-api',
    caller: CALLER,
    region: 'us-east-1',
    ...rest,
  });
  return { engine, provider, sink, clock, kekId, inner };
}

export const CTX = { tenant: 'acme', purpose: 'orders', 'object-id': 'obj-1' };
