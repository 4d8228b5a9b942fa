import type { KmsError } from '../../lib/engine/errors';
import type { CallerIdentity, DataKey, KekProvider, ReEncryptedKey, UnwrappedKey, WrappedKey } from '../../lib/engine/kek/provider';
import type { EncryptionContext } from '../../lib/model/encryption-context';

type Method = 'generateDataKey' | 'encrypt' | 'decrypt' | 'reEncrypt';

/**
 * Wraps a real KekProvider for engine tests: counts calls, keeps a reference to every
 * plaintext DEK buffer it hands out (so a test can check the engine zeroed it), and can
 * misbehave on demand. It never fakes cryptography: results come from the inner provider.
 */
export class RecordingKekProvider implements KekProvider {
  readonly kind: 'local' | 'aws';
  readonly calls: Record<Method, number> = { generateDataKey: 0, encrypt: 0, decrypt: 0, reEncrypt: 0 };
  /** Every plaintext DEK given to the caller, in order (the very buffers, to check zeroing). */
  readonly handedOut: Buffer[] = [];
  /** Hex copies of those DEKs as handed out, to search events and errors for leaks. */
  readonly dekHex: string[] = [];
  /** Thrown by the next call of any method, then cleared. */
  failNext: KmsError | null = null;
  /** Drop KeyId from Decrypt requests (a key manager that does not check it). */
  ignoreKeyIdOnDecrypt = false;
  /** Hand out DEKs of this length instead (a misbehaving key manager). */
  truncateDekTo: number | null = null;

  constructor(readonly inner: KekProvider) {
    this.kind = inner.kind;
  }

  private enter(m: Method): void {
    this.calls[m] += 1;
    const err = this.failNext;
    if (err) {
      this.failNext = null;
      throw err;
    }
  }

  private handOut(plaintext: Buffer): Buffer {
    let out = plaintext;
    if (this.truncateDekTo !== null) {
      out = Buffer.alloc(this.truncateDekTo);
      plaintext.copy(out, 0, 0, this.truncateDekTo);
      plaintext.fill(0);
    }
    this.handedOut.push(out);
    this.dekHex.push(out.toString('hex'));
    return out;
  }

  async generateDataKey(req: { keyId: string; encryptionContext: EncryptionContext; caller?: CallerIdentity }): Promise<DataKey> {
    this.enter('generateDataKey');
    const dk = await this.inner.generateDataKey(req);
    return { ...dk, plaintext: this.handOut(dk.plaintext) };
  }

  async encrypt(req: { keyId: string; plaintext: Buffer; encryptionContext: EncryptionContext; caller?: CallerIdentity }): Promise<WrappedKey> {
    this.enter('encrypt');
    return this.inner.encrypt(req);
  }

  async decrypt(req: { ciphertextBlob: Buffer; encryptionContext: EncryptionContext; keyId?: string; caller?: CallerIdentity }): Promise<UnwrappedKey> {
    this.enter('decrypt');
    const { keyId, ...rest } = req;
    const un = await this.inner.decrypt(this.ignoreKeyIdOnDecrypt ? rest : { ...rest, keyId });
    return { ...un, plaintext: this.handOut(un.plaintext) };
  }

  async reEncrypt(req: {
    ciphertextBlob: Buffer;
    sourceEncryptionContext: EncryptionContext;
    destinationKeyId: string;
    destinationEncryptionContext: EncryptionContext;
    caller?: CallerIdentity;
  }): Promise<ReEncryptedKey> {
    this.enter('reEncrypt');
    return this.inner.reEncrypt(req);
  }
}

/** True when every byte is zero. */
export function isZeroed(buf: Buffer): boolean {
  return buf.every((b) => b === 0);
}
