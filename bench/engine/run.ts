/**
 * `npm run bench:engine`: envelope engine throughput beside raw AES-256-GCM on the same
 * payloads, in one process run.
 *
 * Baselines:
 *   raw        createCipheriv/update/final/getAuthTag with a fresh random IV (and the
 *              matching createDecipheriv) — the cipher alone, output left in pieces;
 *   raw+frame  the same, plus joining IV, ciphertext and tag into one buffer, which any
 *              stored message needs.
 * The engine seals into one buffer (header, IV, ciphertext, tag), emits its KeyOperations
 * and, per object, a DekRecord, and gets DEKs from a local KMS (no injected latency).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { realClock } from '../../lib/engine/clock';
import { EnvelopeEngine } from '../../lib/engine/engine';
import { LocalKms } from '../../lib/engine/kek/local-kms/local-kms';
import { SeededRandom } from '../../lib/engine/random';
import type { EventSink } from '../../lib/engine/sinks/event-sink';
import { compare, fmtRate, mb, type Rate } from '../lib/measure';

const SIZES = [1024, 64 * 1024, 1024 * 1024];
const ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? 3);
const BUDGET_MS = Number(process.argv.find((a) => a.startsWith('--budget-ms='))?.split('=')[1] ?? 400);

/** Counts events instead of keeping them, so memory stays flat over millions of ops. */
const countingSink: EventSink & { count: number } = {
  count: 0,
  writeOperation() {
    this.count++;
  },
  writeDekRecord() {
    this.count++;
  },
  async flush() {},
  async close() {},
};

async function engineFor(kms: LocalKms, keyArn: string, policy: 'cached' | 'per-object'): Promise<EnvelopeEngine> {
  return new EnvelopeEngine({
    provider: kms,
    kekId: keyArn,
    dekPolicy: policy === 'cached' ? { kind: 'cached', maxAgeMs: 3_600_000, maxMessages: 2 ** 32, maxBytes: Number.MAX_SAFE_INTEGER } : { kind: 'per-object' },
    // Per-object DEKs are unique, so a decrypt cache would only hide the unwrap cost.
    decryptCache: policy === 'cached' ? { ttlMs: 3_600_000, maxEntries: 1000 } : false,
    clock: realClock,
    random: new SeededRandom(1),
    sink: countingSink,
    service: 'bench',
  });
}

function rawEncrypt(key: Buffer, plaintext: Buffer, frame: boolean): Buffer | Buffer[] {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const ct = c.update(plaintext);
  const fin = c.final();
  const tag = c.getAuthTag();
  return frame ? Buffer.concat([iv, ct, fin, tag]) : [iv, ct, fin, tag];
}

function rawDecrypt(key: Buffer, msg: { iv: Buffer; ct: Buffer; tag: Buffer }): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, msg.iv);
  d.setAuthTag(msg.tag);
  const pt = d.update(msg.ct);
  d.final();
  return pt;
}

interface Row {
  size: number;
  policy: string;
  op: 'encrypt' | 'decrypt';
  engine: Rate;
  raw: Rate;
  framed: Rate;
}

async function main(): Promise<void> {
  const kms = new LocalKms({ accountId: '111122223333', region: 'eu-west-1', clock: realClock, random: new SeededRandom(7) });
  const { Arn } = await kms.createKey({ description: 'bench' });
  const key = randomBytes(32);
  const rows: Row[] = [];
  for (const size of SIZES) {
    const plaintext = randomBytes(size);
    const ctx = { tenant: 'acme', service: 'bench' };
    const rawMsg = (() => {
      const [iv, ct, fin, tag] = rawEncrypt(key, plaintext, false) as Buffer[];
      return { iv: iv!, ct: Buffer.concat([ct!, fin!]), tag: tag! };
    })();
    for (const policy of ['cached', 'per-object'] as const) {
      const engine = await engineFor(kms, Arn, policy);
      const envelopes = await Promise.all(Array.from({ length: 16 }, (_, i) => engine.encryptObject({ objectId: `o${i}`, objectPath: `p/${i}`, tenant: 'acme', plaintext, encryptionContext: ctx })));
      let n = 0;
      const enc = await compare(
        {
          engine: () => engine.encryptObject({ objectId: 'o', objectPath: 'p', tenant: 'acme', plaintext, encryptionContext: ctx }),
          raw: () => rawEncrypt(key, plaintext, false),
          framed: () => rawEncrypt(key, plaintext, true),
        },
        size,
        ROUNDS,
        BUDGET_MS,
      );
      const dec = await compare(
        {
          engine: () => engine.decryptObject({ envelope: envelopes[n++ % envelopes.length]!.envelope, tenant: 'acme' }),
          raw: () => rawDecrypt(key, rawMsg),
          framed: () => rawDecrypt(key, rawMsg),
        },
        size,
        ROUNDS,
        BUDGET_MS,
      );
      rows.push({ size, policy, op: 'encrypt', engine: enc.engine!, raw: enc.raw!, framed: enc.framed! });
      rows.push({ size, policy, op: 'decrypt', engine: dec.engine!, raw: dec.raw!, framed: dec.framed! });
      engine.clearCaches();
    }
  }
  const label = (s: number) => (s >= 1024 * 1024 ? `${s / 1024 / 1024} MiB` : `${s / 1024} KiB`);
  const lines = [
    `| payload | DEK policy | op | engine ops/s | engine MB/s | raw ops/s | raw MB/s | engine/raw | engine/raw+frame |`,
    `|---|---|---|---:|---:|---:|---:|---:|---:|`,
    ...rows.map(
      (r) =>
        `| ${label(r.size)} | ${r.policy} | ${r.op} | ${fmtRate(r.engine.opsPerSec)} | ${mb(r.engine.bytesPerSec)} | ${fmtRate(r.raw.opsPerSec)} | ${mb(r.raw.bytesPerSec)} | ${(r.engine.opsPerSec / r.raw.opsPerSec).toFixed(2)} | ${r.op === 'encrypt' ? (r.engine.opsPerSec / r.framed.opsPerSec).toFixed(2) : '—'} |`,
    ),
  ];
  process.stdout.write(`Envelope engine vs raw AES-256-GCM (node ${process.version}, ${ROUNDS} interleaved rounds of ${BUDGET_MS} ms, medians)\n\n${lines.join('\n')}\n`);
  process.stdout.write(`\n(${countingSink.count.toLocaleString('en-US')} events emitted)\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:engine: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
