import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

const REDACTED = '[key material redacted]';

/**
 * 32 bytes of KEK material. The bytes live in a private field and every way an object
 * gets printed (util.inspect, console.log, JSON.stringify, String()) shows a placeholder,
 * so a stray log line or error dump of a key store cannot leak them.
 */
export class KeyMaterial {
  readonly #bytes: Buffer;

  private constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  /** Fresh material from the OS CSPRNG (never from the seeded traffic random). */
  static generate(): KeyMaterial {
    return new KeyMaterial(randomBytes(32));
  }

  /** Takes ownership of `bytes` (used when loading a key file). */
  static fromBytes(bytes: Buffer): KeyMaterial {
    if (bytes.length !== 32) throw new Error('key material must be 32 bytes');
    return new KeyMaterial(bytes);
  }

  /** The raw bytes, for the cipher and the key file only. Do not keep or log the result. */
  exposeBytes(): Buffer {
    return this.#bytes;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
