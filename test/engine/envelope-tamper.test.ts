import { describe, expect, it } from 'vitest';
import type { EnvelopeEngine } from '../../lib/engine/engine';
import { decodeEnvelope, encodeEnvelope, envelopeLayout, type EnvelopeField } from '../../lib/engine/envelope';
import { EnvelopeError, KmsError } from '../../lib/engine/errors';
import { KeyOperationSchema } from '../../lib/model/key-operation';
import type { AesGcmKekProvider } from '../support/aes-gcm-kek-provider';
import { CTX, makeEngine } from '../support/engine-fixture';
import { isZeroed } from '../support/recording-kek-provider';

/** What decrypting answered: an EnvelopeError reason, a KMS error code, or the plaintext. */
async function outcome(engine: EnvelopeEngine, envelope: Buffer): Promise<string> {
  try {
    const pt = await engine.decryptObject({ envelope, tenant: 'acme', objectId: 'obj-1' });
    return `plaintext:${pt.toString()}`;
  } catch (err) {
    if (err instanceof EnvelopeError) return err.reason;
    if (err instanceof KmsError) return err.code;
    throw err;
  }
}

/** Flips the lowest bit of the last byte of a field (its content, past any length prefix). */
function flipField(envelope: Buffer, field: EnvelopeField, fromEnd = 1): Buffer {
  const copy = Buffer.from(envelope);
  const at = envelopeLayout(copy)[field].end - fromEnd;
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

const CASES: Array<[string, (e: Buffer) => Buffer, string]> = [
  ['ciphertext byte', (e) => flipField(e, 'ciphertext', 5), 'authentication_failed'],
  ['tag byte', (e) => flipField(e, 'tag'), 'authentication_failed'],
  ['IV byte', (e) => flipField(e, 'iv'), 'authentication_failed'],
  ['DEK id byte', (e) => flipField(e, 'dekId'), 'authentication_failed'],
  // The context is the wrapped DEK's KMS encryption context as well as payload AAD: KMS refuses first.
  ['encryption context byte', (e) => flipField(e, 'encryptionContext'), 'InvalidCiphertextException'],
  ['KEK id byte', (e) => flipField(e, 'kekId'), 'NotFoundException'],
  ['KEK version byte', (e) => flipField(e, 'kekVersion'), 'kek_mismatch'],
  ['wrapped DEK byte', (e) => flipField(e, 'wrappedDek'), 'InvalidCiphertextException'],
  ['format version', (e) => flipField(e, 'formatVersion'), 'unsupported_version'],
  ['algorithm id', (e) => flipField(e, 'algorithm'), 'unsupported_version'],
  ['magic', (e) => flipField(e, 'magic'), 'malformed'],
  ['ciphertext length', (e) => flipField(e, 'ciphertextLength'), 'malformed'],
  ['truncation by one byte', (e) => e.subarray(0, e.length - 1), 'malformed'],
  ['truncation inside the header', (e) => e.subarray(0, envelopeLayout(e).wrappedDek.start + 3), 'malformed'],
];

describe.each([
  ['without a decrypt cache', false as const],
  ['with a warm decrypt cache', { ttlMs: 60_000, maxEntries: 100 }],
])('tampered envelopes are refused %s', (_label, decryptCache) => {
  it.each(CASES)('%s', async (_name, tamper, expected) => {
    const { engine, provider, sink } = makeEngine({ decryptCache });
    const { envelope } = await engine.encryptObject({ objectId: 'obj-1', objectPath: 's3://b/obj-1', tenant: 'acme', plaintext: Buffer.from('attack at dawn'), encryptionContext: CTX });
    // Warm the cache (when there is one) so that a hit cannot bypass any check.
    expect(await outcome(engine, envelope)).toBe('plaintext:attack at dawn');
    const kmsCallsBefore = provider.calls.decrypt;
    expect(await outcome(engine, tamper(envelope))).toBe(expected);
    if (['malformed', 'unsupported_version'].includes(expected)) expect(provider.calls.decrypt).toBe(kmsCallsBefore);
    if (['kek_mismatch', 'InvalidCiphertextException', 'NotFoundException'].includes(expected)) expect(provider.calls.decrypt).toBe(kmsCallsBefore + 1);
    const failed = sink.operations.filter((o) => o.outcome === 'failure');
    expect(failed.at(-1)).toMatchObject({ operation: 'decrypt', objectId: 'obj-1' });
    for (const op of sink.operations) KeyOperationSchema.parse(op);
    // No DEK outlives its use except the one the cache legitimately holds.
    const zeroed = provider.handedOut.filter(isZeroed).length;
    expect(zeroed).toBe(decryptCache ? provider.handedOut.length - 1 : provider.handedOut.length);
    // The original still decrypts: a refusal does not poison the cache.
    expect(await outcome(engine, envelope)).toBe('plaintext:attack at dawn');
  });
});

describe('KEK id substitution', () => {
  it('is refused by the key manager when it checks KeyId, and by kek_mismatch when it does not', async () => {
    const { engine, provider, inner } = makeEngine({ decryptCache: { ttlMs: 60_000, maxEntries: 10 } });
    const other = (inner as AesGcmKekProvider).createKey();
    const { envelope } = await engine.encryptObject({ objectId: 'o', objectPath: 'p', tenant: 'acme', plaintext: Buffer.from('x'), encryptionContext: CTX });
    const swapped = encodeEnvelope({ ...decodeEnvelope(envelope), kekId: other });
    expect(await outcome(engine, swapped)).toBe('IncorrectKeyException');
    provider.ignoreKeyIdOnDecrypt = true;
    expect(await outcome(engine, swapped)).toBe('kek_mismatch');
    expect(provider.handedOut.slice(1).every(isZeroed)).toBe(true);
  });
});
