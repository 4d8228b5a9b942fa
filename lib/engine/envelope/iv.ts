import { randomFillSync } from 'node:crypto';

/**
 * Fresh IVs from the CSPRNG, drawn in batches.
 *
 * One randomBytes() call per message costs an allocation and a trip into OpenSSL that
 * is a visible share of sealing a 64 KiB message; filling a pool once per 512 IVs keeps
 * that off the hot path (Node's randomUUID batches the same way). Every pool byte is
 * handed out once and the pool is refilled, never rewound, so IVs stay independent
 * draws of the CSPRNG: never the seeded PRNG, never a counter. IVs are public, so the
 * pool holding upcoming ones is not a secret.
 */
const POOL_BYTES = 12 * 512;
const pool = Buffer.allocUnsafeSlow(POOL_BYTES);
let next = POOL_BYTES;

/** Writes `n` (at most the pool size) fresh random bytes into `out` at `offset`. */
export function writeFreshIv(out: Buffer, offset: number, n: number): void {
  if (n > POOL_BYTES) throw new RangeError('IV longer than the pool');
  if (next + n > POOL_BYTES) {
    randomFillSync(pool);
    next = 0;
  }
  pool.copy(out, offset, next, next + n);
  next += n;
}
