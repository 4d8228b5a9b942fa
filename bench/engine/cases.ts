/**
 * The cases `bench:engine` times, for one payload size and DEK policy: the engine's
 * three APIs and the raw AES-256-GCM baselines on the same payload. Built the same way
 * whether they run in the bench process or each in a child process of its own.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { realClock } from '../../lib/engine/clock';
import { decodeEnvelope } from '../../lib/engine/envelope/binary';
import { EnvelopeEngine } from '../../lib/engine/engine';
import { LocalKms } from '../../lib/engine/kek/local-kms/local-kms';
import { SeededRandom } from '../../lib/engine/random';
import type { EventSink } from '../../lib/engine/sinks/event-sink';

export const CASE_NAMES = ['encryptObject', 'encryptObjectParts', 'rawEncrypt', 'rawEncryptFramed', 'decryptObject', 'rawDecrypt'] as const;
export type CaseName = (typeof CASE_NAMES)[number];
export type DekPolicyName = 'cached' | 'per-object';
export type BenchCases = Record<CaseName, () => unknown>;

/**
 * What each engine API is compared with, like for like: encryptObjectParts and raw both
 * leave the message in pieces; encryptObject and raw+frame both make one buffer;
 * decryptObject and raw both open one message.
 */
export const COMPARISONS = [
  { engine: 'encryptObjectParts', baseline: 'rawEncrypt', op: 'encrypt · encryptObjectParts', like: 'raw' },
  { engine: 'encryptObject', baseline: 'rawEncryptFramed', op: 'encrypt · encryptObject', like: 'raw+frame' },
  { engine: 'decryptObject', baseline: 'rawDecrypt', op: 'decrypt · decryptObject', like: 'raw' },
] as const satisfies readonly { engine: CaseName; baseline: CaseName; op: string; like: string }[];
export type Comparison = (typeof COMPARISONS)[number];

/** Decrypt cycles through this many messages, for the engine and raw alike (same working set). */
const MESSAGES = 16;

/** Counts events instead of keeping them, so memory stays flat over millions of ops. */
export const countingSink: EventSink & { count: number } = {
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

function rawEncrypt(key: Buffer, plaintext: Buffer): Buffer[] {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const ct = c.update(plaintext);
  const fin = c.final();
  return [iv, ct, fin, c.getAuthTag()];
}

/** One AES-GCM message as views into an envelope: the raw decrypt reads the engine's own bytes. */
interface RawMessage {
  key: Buffer;
  iv: Buffer;
  aad: Buffer;
  ct: Buffer;
  tag: Buffer;
}

function rawDecrypt(msg: RawMessage): Buffer {
  const d = createDecipheriv('aes-256-gcm', msg.key, msg.iv);
  d.setAAD(msg.aad);
  d.setAuthTag(msg.tag);
  const pt = d.update(msg.ct);
  d.final();
  return pt;
}

/** A local KMS with one key, for engines to take DEKs from (no injected latency). */
export async function benchKms(): Promise<{ kms: LocalKms; keyArn: string }> {
  const kms = new LocalKms({ accountId: '111122223333', region: 'eu-west-1', clock: realClock, random: new SeededRandom(7) });
  const { Arn } = await kms.createKey({ description: 'bench' });
  return { kms, keyArn: Arn };
}

/**
 * The cases for one payload size and policy. `dispose` zeroes the engine's cached DEKs
 * and the raw decrypt's copies.
 */
export async function buildCases(kms: LocalKms, keyArn: string, size: number, policy: DekPolicyName): Promise<{ cases: BenchCases; dispose: () => void }> {
  const key = randomBytes(32);
  const plaintext = randomBytes(size);
  const ctx = { tenant: 'acme', service: 'bench' };
  const engine = new EnvelopeEngine({
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
  // One after another, as a caller's objects arrive: under the cached policy they share
  // one DEK (the point of the policy); per-object, each has its own.
  const envelopes: Buffer[] = [];
  for (let i = 0; i < MESSAGES; i++) envelopes.push((await engine.encryptObject({ objectId: `o${i}`, objectPath: `p/${i}`, tenant: 'acme', plaintext, encryptionContext: ctx })).envelope);
  // The raw decrypt opens the same messages, in the same memory, with the DEK the key
  // manager gives for each: where a buffer lands in memory moves a 64 KiB decrypt by a
  // few per cent, so engine and raw must not read different buffers.
  const rawMsgs: RawMessage[] = [];
  for (const envelope of envelopes) {
    const env = decodeEnvelope(envelope);
    const { plaintext: dek } = await kms.decrypt({ ciphertextBlob: env.wrappedDek, encryptionContext: env.encryptionContext, keyId: env.kekId });
    rawMsgs.push({ key: dek, iv: env.iv, aad: env.aad, ct: env.ciphertext, tag: env.tag });
  }
  let n = 0;
  let m = 0;
  const req = { objectId: 'o', objectPath: 'p', tenant: 'acme', plaintext, encryptionContext: ctx };
  return {
    cases: {
      encryptObject: () => engine.encryptObject(req),
      encryptObjectParts: () => engine.encryptObjectParts(req),
      rawEncrypt: () => rawEncrypt(key, plaintext),
      rawEncryptFramed: () => Buffer.concat(rawEncrypt(key, plaintext)),
      decryptObject: () => engine.decryptObject({ envelope: envelopes[n++ % MESSAGES]!, tenant: 'acme' }),
      rawDecrypt: () => rawDecrypt(rawMsgs[m++ % MESSAGES]!),
    },
    dispose: () => {
      engine.clearCaches();
      for (const msg of rawMsgs) msg.key.fill(0);
    },
  };
}
