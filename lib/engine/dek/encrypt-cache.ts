import type { Clock } from '../clock';
import type { HeaderTemplate } from '../envelope/seal';
import { SharedDek, type DekLease } from './shared-dek';

/**
 * AES-GCM with random 96-bit IVs: NIST SP 800-38D caps one key at 2^32 invocations,
 * which is also the AWS Encryption SDK's hard limit on messages per cached data key.
 */
export const MAX_MESSAGES_PER_DEK = 2 ** 32;

export interface EncryptCacheLimits {
  /** A DEK is retired this long after it was generated. */
  maxAgeMs: number;
  /** ... or after encrypting this many messages (at most 2^32). */
  maxMessages: number;
  /** ... or once encrypting the next message would take it past this many plaintext bytes. */
  maxBytes: number;
  /** Partitions held at once; the least recently used is evicted beyond this. */
  maxEntries: number;
}

/** The non-secret half of a generated data key. */
export interface DataKeyMaterial {
  dekId: string;
  keyId: string;
  kekVersion: string | null;
  wrappedDek: Buffer;
  /** The GenerateDataKey request that made this DEK (CloudTrail's requestID); null where unknown. */
  requestId: string | null;
  /** The envelope header for this DEK and its partition's context, encoded once. */
  header: HeaderTemplate;
}

export interface EncryptLease {
  material: DataKeyMaterial;
  lease: DekLease;
}

interface Entry {
  material: DataKeyMaterial;
  dek: SharedDek;
  createdAt: number;
  messages: number;
  bytes: number;
}

export function validateEncryptCacheLimits(l: EncryptCacheLimits): void {
  if (!(l.maxAgeMs > 0) || !Number.isFinite(l.maxAgeMs)) throw new RangeError('cached DEK policy: maxAgeMs must be a positive finite number');
  if (!Number.isInteger(l.maxMessages) || l.maxMessages < 1) throw new RangeError('cached DEK policy: maxMessages must be a positive integer');
  if (l.maxMessages > MAX_MESSAGES_PER_DEK) {
    throw new RangeError(`cached DEK policy: maxMessages ${l.maxMessages} exceeds 2^32, the AES-GCM limit for one key with random IVs`);
  }
  if (!Number.isSafeInteger(l.maxBytes) || l.maxBytes < 1) throw new RangeError('cached DEK policy: maxBytes must be a positive safe integer');
  if (!Number.isInteger(l.maxEntries) || l.maxEntries < 1) throw new RangeError('cached DEK policy: maxEntries must be a positive integer');
}

/**
 * Encryption-side DEK cache, like the AWS Encryption SDK's caching materials manager:
 * one DEK per partition (KEK id + canonical encryption context) reused until a bound on
 * age, messages or bytes is reached. Map insertion order is the LRU order.
 */
export class EncryptDekCache {
  private readonly entries = new Map<string, Entry>();
  /** The most recently used partition: already last in LRU order, so a hit on it skips the reorder. */
  private mru: string | null = null;

  constructor(
    private readonly limits: EncryptCacheLimits,
    private readonly clock: Clock,
  ) {
    validateEncryptCacheLimits(limits);
  }

  get size(): number {
    return this.entries.size;
  }

  /** A cached DEK for `partition`, charged with one message of `bytes`; undefined on a miss. */
  take(partition: string, bytes: number): EncryptLease | undefined {
    // A message too large for any cached key bypasses the cache without disturbing it.
    if (bytes > this.limits.maxBytes) return undefined;
    const e = this.entries.get(partition);
    if (!e) return undefined;
    if (this.clock.now() - e.createdAt >= this.limits.maxAgeMs || e.bytes + bytes > this.limits.maxBytes) {
      this.retire(partition, e);
      return undefined;
    }
    if (partition !== this.mru) {
      this.entries.delete(partition);
      this.entries.set(partition, e);
      this.mru = partition;
    }
    return this.charge(partition, e, bytes);
  }

  /** Caches a freshly generated DEK (taking ownership of `plaintext`) and charges its first message. */
  put(partition: string, material: DataKeyMaterial, plaintext: Buffer, bytes: number): EncryptLease {
    const e: Entry = { material, dek: new SharedDek(plaintext), createdAt: this.clock.now(), messages: 0, bytes: 0 };
    if (bytes > this.limits.maxBytes) {
      // Larger than the byte bound on its own: use once, never cache (as the SDK does).
      const lease = e.dek.lease();
      e.dek.retire();
      return { material, lease };
    }
    this.sweepExpired();
    const old = this.entries.get(partition);
    if (old) this.retire(partition, old);
    while (this.entries.size >= this.limits.maxEntries) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, Entry];
      this.retire(oldestKey, oldest);
    }
    this.entries.set(partition, e);
    this.mru = partition;
    return this.charge(partition, e, bytes);
  }

  /** Retires every entry (zeroing each DEK once its in-flight uses end). */
  clear(): void {
    for (const [k, e] of [...this.entries]) this.retire(k, e);
  }

  private charge(partition: string, e: Entry, bytes: number): EncryptLease {
    e.messages += 1;
    e.bytes += bytes;
    const lease = e.dek.lease();
    if (e.messages >= this.limits.maxMessages || e.bytes >= this.limits.maxBytes) this.retire(partition, e);
    return { material: e.material, lease };
  }

  /**
   * Zeroes expired keys from the least recently used end, stopping at the first live
   * one: cheap on every miss, and keys nobody asks for do not stay in memory for long.
   */
  private sweepExpired(): void {
    const now = this.clock.now();
    for (const [k, e] of this.entries) {
      if (now - e.createdAt < this.limits.maxAgeMs) break;
      this.retire(k, e);
    }
  }

  private retire(partition: string, e: Entry): void {
    if (this.entries.get(partition) === e) this.entries.delete(partition);
    if (this.mru === partition) this.mru = null;
    e.dek.retire();
  }
}
