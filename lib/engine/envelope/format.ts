import type { EncryptionContext } from '../../model/encryption-context';

/**
 * The envelope format, version 1.
 *
 * Binary layout (all integers big-endian):
 *
 * | field              | size                   | notes                                    |
 * |--------------------|------------------------|------------------------------------------|
 * | magic              | 4                      | "KSEV"                                   |
 * | format version     | 1                      | 1                                        |
 * | algorithm id       | 2                      | see ALGORITHMS                           |
 * | DEK id             | 2 + n                  | UTF-8                                    |
 * | encryption context | 4 + n                  | canonical form, see context.ts           |
 * | — end of the authenticated prefix (the AAD) —                                          |
 * | KEK id             | 2 + n                  | UTF-8 (key ARN as the key manager says)  |
 * | KEK version        | 1 [+ 2 + n]            | flag 0 = null, 1 = present + UTF-8       |
 * | wrapped DEK        | 2 + n                  | the key manager's ciphertext blob        |
 * | IV                 | algorithm's IV length  |                                          |
 * | ciphertext length  | 8                      |                                          |
 * | ciphertext         | n                      |                                          |
 * | tag                | algorithm's tag length |                                          |
 *
 * Why the KEK fields are outside the AAD: a rewrap (ReEncrypt of the wrapped DEK to a new
 * KEK or KEK version) must not need the plaintext DEK or the payload, so it replaces only
 * the key block and leaves IV, ciphertext and tag untouched. Those fields are instead
 * authenticated by the key manager: the wrapped DEK is its own authenticated ciphertext
 * (a flipped byte fails KMS Decrypt with InvalidCiphertextException), the KEK id is sent
 * as KeyId on Decrypt (a wrong one fails with NotFound/IncorrectKeyException), and after
 * every unwrap or re-encrypt the engine checks that the key id and version the key
 * manager reports equal the envelope's (`kek_mismatch` otherwise). A swapped-in wrapped
 * DEK from another message unwraps to another DEK and fails the payload tag. Everything
 * else (version, algorithm, DEK id, encryption context) is AAD of the payload, and the
 * encryption context is also the KMS encryption context of the wrapped DEK.
 */

export const MAGIC = Buffer.from('KSEV', 'latin1');
export const FORMAT_VERSION = 1;

export interface AlgorithmSuite {
  id: number;
  name: string;
  cipher: 'aes-256-gcm';
  keyLength: number;
  ivLength: number;
  tagLength: number;
  /** Largest plaintext for one message: GCM's 2^39 - 256 bits. */
  maxPlaintextBytes: number;
}

export const AES_256_GCM: AlgorithmSuite = {
  id: 0x0001,
  name: 'AES_256_GCM_IV12_TAG16',
  cipher: 'aes-256-gcm',
  keyLength: 32,
  ivLength: 12,
  tagLength: 16,
  maxPlaintextBytes: 2 ** 36 - 32,
};

export const ALGORITHMS: ReadonlyMap<number, AlgorithmSuite> = new Map([[AES_256_GCM.id, AES_256_GCM]]);
export const ALGORITHMS_BY_NAME: ReadonlyMap<string, AlgorithmSuite> = new Map([[AES_256_GCM.name, AES_256_GCM]]);

/** An envelope's fields; byte fields may be views into the buffer they were read from. */
export interface Envelope {
  formatVersion: typeof FORMAT_VERSION;
  algorithm: AlgorithmSuite;
  kekId: string;
  kekVersion: string | null;
  dekId: string;
  wrappedDek: Buffer;
  encryptionContext: EncryptionContext;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/** A decoded envelope plus the exact authenticated bytes, so opening needs no re-encoding. */
export interface ParsedEnvelope extends Envelope {
  aad: Buffer;
  canonicalContext: Buffer;
}

/** The fields that may be replaced by a rewrap. */
export interface KeyBlock {
  kekId: string;
  kekVersion: string | null;
  wrappedDek: Buffer;
}
