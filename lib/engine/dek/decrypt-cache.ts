import type { Clock } from '../clock';
import { SharedDek, type DekLease } from './shared-dek';

export interface DecryptCacheOptions {
  /** How long an unwrapped DEK may be reused without asking the key manager again. */
  ttlMs: number;
  /** Entries held at once; the least recently used is evicted beyond this. */
  maxEntries: number;
}

interface Entry {
  keyId: string;
  kekVersion: string | null;
  dek: SharedDek;
  expiresAt: number;
}

/**
 * Decrypt-side DEK cache: saves a key-manager Decrypt per message when many messages
 * share a DEK (the cached encryption policy). Map insertion order is the LRU order.
 */
export class DecryptDekCache {
  private readonly entries = new Map<string, Entry>();
  /** The most recently used key: already last in LRU order, so a hit on it skips the reorder. */
  private mru: string | null = null;

  constructor(
    private readonly opts: DecryptCacheOptions,
    private readonly clock: Clock,
  ) {
    if (!(opts.ttlMs > 0) || !Number.isFinite(opts.ttlMs)) throw new RangeError('decrypt cache: ttlMs must be a positive finite number');
    if (!Number.isInteger(opts.maxEntries) || opts.maxEntries < 1) throw new RangeError('decrypt cache: maxEntries must be a positive integer');
  }

  /**
   * The cache key: the wrapped DEK and the encryption context, as the exact bytes. The
   * context is included (as the AWS Encryption SDK's decrypt cache does) because the key
   * manager authorized this DEK only for that context; keying by the wrapped DEK alone
   * would let a message with another context reuse a DEK that KMS never released for it.
   *
   * Exact bytes rather than a digest: a latin1 string maps bytes 1:1, and the u16 length
   * prefix (two latin1 chars) fixes where the wrapped DEK ends, so distinct pairs never
   * share a key, with no hash to trust. Building one costs a fifth of a sha256, and the
   * engine builds it once per distinct header, not per message (DekUnwrapper). The key
   * holds public data only (the wrapped DEK is ciphertext).
   */
  static key(wrappedDek: Buffer, canonicalContext: Buffer): string {
    const n = wrappedDek.length;
    if (n > 0xffff) throw new RangeError('wrapped DEK longer than 65535 bytes');
    return String.fromCharCode(n >>> 8, n & 0xff) + wrappedDek.toString('latin1') + canonicalContext.toString('latin1');
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * A lease on the cached DEK, or undefined on a miss. An entry cached under another KEK
   * id or version than the envelope names is a miss (the header was altered, or the key
   * manager must be asked again); the key manager's answer then decides (kek_mismatch).
   */
  get(key: string, keyId: string, kekVersion: string | null): DekLease | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (this.clock.now() >= e.expiresAt) {
      this.retire(key, e);
      return undefined;
    }
    if (e.keyId !== keyId || e.kekVersion !== kekVersion) return undefined;
    if (key !== this.mru) {
      this.entries.delete(key);
      this.entries.set(key, e);
      this.mru = key;
    }
    return e.dek.lease();
  }

  /** Caches an unwrapped DEK (taking ownership of `plaintext`) and returns a lease on it. */
  put(key: string, keyId: string, kekVersion: string | null, plaintext: Buffer): DekLease {
    const old = this.entries.get(key);
    if (old) this.retire(key, old);
    this.sweepExpired();
    while (this.entries.size >= this.opts.maxEntries) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, Entry];
      this.retire(oldestKey, oldest);
    }
    const e: Entry = { keyId, kekVersion, dek: new SharedDek(plaintext), expiresAt: this.clock.now() + this.opts.ttlMs };
    this.entries.set(key, e);
    this.mru = key;
    return e.dek.lease();
  }

  /** Retires every entry (zeroing each DEK once its in-flight uses end). */
  clear(): void {
    for (const [k, e] of [...this.entries]) this.retire(k, e);
  }

  /**
   * Zeroes expired keys from the least recently used end, stopping at the first live
   * one: cheap on every miss, and keys nobody asks for do not stay in memory for long.
   */
  private sweepExpired(): void {
    const now = this.clock.now();
    for (const [k, e] of this.entries) {
      if (now < e.expiresAt) break;
      this.retire(k, e);
    }
  }

  private retire(key: string, e: Entry): void {
    if (this.entries.get(key) === e) this.entries.delete(key);
    if (this.mru === key) this.mru = null;
    e.dek.retire();
  }
}
