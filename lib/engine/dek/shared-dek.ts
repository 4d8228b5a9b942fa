import { AES_256_GCM } from '../envelope/format';

/**
 * A plaintext DEK that a cache and in-flight operations share. The owner retires it
 * (expiry, bound reached, eviction, shutdown); its bytes are zeroed as soon as it is
 * retired and no lease is outstanding, so an eviction never pulls a key from under a
 * running cipher and a retired key never outlives its last use.
 */
export class SharedDek {
  private users = 0;
  private retired = false;

  constructor(readonly plaintext: Buffer) {}

  lease(): DekLease {
    if (this.retired) throw new Error('data key already retired');
    this.users += 1;
    return new DekLease(this);
  }

  retire(): void {
    this.retired = true;
    this.maybeZero();
  }

  /** Called by DekLease only. */
  end(): void {
    this.users -= 1;
    this.maybeZero();
  }

  private maybeZero(): void {
    if (this.retired && this.users === 0) this.plaintext.fill(0);
  }
}

/** One operation's use of a plaintext DEK. */
export class DekLease {
  private released = false;

  constructor(private readonly dek: SharedDek) {}

  get plaintext(): Buffer {
    return this.dek.plaintext;
  }

  /** Ends this use; idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.dek.end();
  }
}

/** A key used once: zeroed when its only lease is released. */
export function singleUseLease(plaintext: Buffer): DekLease {
  const dek = new SharedDek(plaintext);
  const lease = dek.lease();
  dek.retire();
  return lease;
}

/**
 * Refuses a plaintext DEK of the wrong size (a misbehaving key manager), zeroing it
 * first so that even a bad key does not linger.
 */
export function checkDekLength(plaintext: Buffer): void {
  if (plaintext.length !== AES_256_GCM.keyLength) {
    plaintext.fill(0);
    throw new RangeError(`key manager returned a ${plaintext.length}-byte data key, expected ${AES_256_GCM.keyLength}`);
  }
}
