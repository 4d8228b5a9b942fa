import { EnvelopeError } from '../errors';
import type { ParsedEnvelope } from '../envelope/format';
import type { CallerIdentity, KekProvider } from '../kek/provider';
import type { HeaderInfo } from '../envelope/decode';
import { DecryptDekCache } from './decrypt-cache';
import { checkDekLength, singleUseLease, type DekLease } from './shared-dek';

export interface UnwrappedDek {
  lease: DekLease;
  /** True when served from the cache, false when the key manager was called; null without a cache. */
  cacheHit: boolean | null;
  /** The Decrypt request that answered (CloudTrail's requestID); null for a cache hit or where unknown. */
  requestId: string | null;
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

  /**
   * Cache keys by decoded header (decodeEnvelopeAndHeader's memo entry, one object per
   * header bytes, which include the wrapped DEK and the context): built once per header
   * instead of once per message, and the same string each time, whose hash V8 keeps.
   */
  private readonly keys = new WeakMap<HeaderInfo, string>();

  async unwrap(env: ParsedEnvelope): Promise<UnwrappedDek> {
    return this.cached(env) ?? this.fetch(env);
  }

  /**
   * The cached DEK for `env`, or undefined (a miss, or no cache). Synchronous, so that a
   * hit costs the caller no promise and no await. `header`, if given, must be the one
   * decoded with `env`.
   */
  cached(env: ParsedEnvelope, header?: HeaderInfo): UnwrappedDek | undefined {
    if (!this.cache) return undefined;
    const lease = this.cache.get(this.keyOf(env, header), env.kekId, env.kekVersion);
    return lease && { lease, cacheHit: true, requestId: null };
  }

  /**
   * `cached` for a located envelope (locateEnvelope), by its header alone (which carries
   * the KEK id and version): a lease on the cached DEK, so a hit is a cache hit. `buf` is
   * the envelope, read only to build the cache key the first time a header is seen.
   */
  cachedLease(header: HeaderInfo, buf: Buffer): DekLease | undefined {
    if (!this.cache) return undefined;
    let key = this.keys.get(header);
    if (key === undefined) {
      key = DecryptDekCache.key(buf.subarray(header.wrappedAt, header.end), buf.subarray(header.contextAt, header.aadEnd));
      this.keys.set(header, key);
    }
    return this.cache.get(key, header.kekId, header.kekVersion);
  }

  /** Asks the key manager (after a miss in `cached`), and caches the answer if there is a cache. */
  async fetch(env: ParsedEnvelope, header?: HeaderInfo): Promise<UnwrappedDek> {
    // Keyed before the await, by the bytes the key manager is sent.
    const key = this.cache ? this.keyOf(env, header) : '';
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
    if (!this.cache) return { lease: singleUseLease(dk.plaintext), cacheHit: null, requestId: dk.requestId };
    return { lease: this.cache.put(key, dk.keyId, dk.kekVersion, dk.plaintext), cacheHit: false, requestId: dk.requestId };
  }

  clear(): void {
    this.cache?.clear();
  }

  private keyOf(env: ParsedEnvelope, header: HeaderInfo | undefined): string {
    if (header === undefined) return DecryptDekCache.key(env.wrappedDek, env.canonicalContext);
    let key = this.keys.get(header);
    if (key === undefined) {
      key = DecryptDekCache.key(env.wrappedDek, env.canonicalContext);
      this.keys.set(header, key);
    }
    return key;
  }
}
