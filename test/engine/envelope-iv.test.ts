import { describe, expect, it } from 'vitest';
import { envelopeLayout } from '../../lib/engine/envelope';
import type { EventSink } from '../../lib/engine/sinks/event-sink';
import { CTX, makeEngine } from '../support/engine-fixture';

const nullSink: EventSink = { writeOperation() {}, writeDekRecord() {}, flush: async () => {}, close: async () => {} };

describe('IV uniqueness', () => {
  it('draws a distinct IV for each of 100k messages under one cached DEK', async () => {
    // A sink that keeps nothing: 200k KeyOperations would only cost memory here.
    const { engine, provider } = makeEngine({ dekPolicy: { kind: 'cached', maxAgeMs: 3_600_000, maxMessages: 2 ** 32, maxBytes: 2 ** 40 }, sink: nullSink });
    const N = 100_000;
    const plaintext = Buffer.from('sixteen bytes!!!');
    const first = (await engine.encryptObject({ objectId: 'o', objectPath: 'p', tenant: 't', plaintext, encryptionContext: CTX })).envelope;
    const { start, end } = envelopeLayout(first).iv;
    const ivs = new Set<string>([first.toString('latin1', start, end)]);
    for (let i = 1; i < N; i++) {
      const { envelope } = await engine.encryptObject({ objectId: 'o', objectPath: 'p', tenant: 't', plaintext, encryptionContext: CTX });
      // Same partition and DEK: the header (and so the IV offset) has the same layout.
      ivs.add(envelope.toString('latin1', start, end));
    }
    expect(provider.calls.generateDataKey).toBe(1);
    expect(ivs.size).toBe(N);
  });
});
