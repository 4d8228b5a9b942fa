import { EnvelopeError } from '../errors';
import type { ParsedEnvelope } from '../envelope/format';
import type { CallerIdentity, KekProvider } from '../kek/provider';
import { DecryptDekCache } from './decrypt-cache';
import { checkDekLength, singleUseLease, type DekLease } from './shared-dek';

export interface UnwrappedDek {
  lease: DekLease;
  /** True when served from the cache, false when the key manager was called; null without a cache. */
  cacheHit: boolean | null;
}

/**
 * Throws kek_mismatch unless the key manager reports the KEK id and version the envelope
 * names. The payload AAD does not cover these fields (format.ts explains why), so this
 * check is what makes an altered KEK id or version fail even when the key manager,
 * given the real key, succeeds.
 */
export function assertSameKek(
  env: { dekId: string; kekId: string; kekVersion: string | null },
  got: { keyId: string; kekVersion: string | null },
): void {
  if (got.keyId !== env.kekId || got.kekVersion !== env.kekVersion) {
    throw new EnvelopeError('kek_mismatch', `DEK ${env.dekId} is wrapped under another KEK id or version than its envelope names`);
  }
}

/** Obtains the plaintext DEK of an envelope, from the decrypt cache or the key manager. */
export class DekUnwrapper {
  constructor(
    private readonly provider: KekProvider,
    private readonly cache: DecryptDekCache | null,
    private readonly caller?: CallerIdentity,
  ) {}

  async unwrap(env: ParsedEnvelope): Promise<UnwrappedDek> {
    const key = this.cache ? DecryptDekCache.key(env.wrappedDek, env.canonicalContext) : '';
    const hit = this.cache?.get(key, env.kekId, env.kekVersion);
    if (hit) return { lease: hit, cacheHit: true };
    const dk = await this.provider.decrypt({
      ciphertextBlob: env.wrappedDek,
      encryptionContext: env.encryptionContext,
      // Naming the key makes the key manager refuse a blob wrapped under another key.
      keyId: env.kekId,
      caller: this.caller,
    });
    try {
      assertSameKek(env, dk);
      checkDekLength(dk.plaintext);
    } catch (err) {
      dk.plaintext.fill(0);
      throw err;
    }
    if (!this.cache) return { lease: singleUseLease(dk.plaintext), cacheHit: null };
    return { lease: this.cache.put(key, dk.keyId, dk.kekVersion, dk.plaintext), cacheHit: false };
  }

  clear(): void {
    this.cache?.clear();
  }
}
