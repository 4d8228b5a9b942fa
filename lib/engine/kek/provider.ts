import type { EncryptionContext } from '../../model/encryption-context';

/**
 * Who is calling the key manager. The local KMS evaluates key policies and grants
 * against `arn` (and `roleArn` for assumed roles) and writes it into CloudTrail's
 * `userIdentity`; the AWS provider ignores it (its credentials decide the identity).
 */
export interface CallerIdentity {
  type: 'AssumedRole' | 'IAMUser' | 'AWSService' | 'Root';
  /** For AssumedRole: arn:aws:sts::<acct>:assumed-role/<role>/<session>. */
  arn: string;
  accountId: string;
  /** For AssumedRole: "<role id>:<session>"; for IAMUser the user id. */
  principalId: string;
  accessKeyId?: string;
  /** For AssumedRole: the role that was assumed (the session issuer). */
  roleArn?: string;
  /** For AWSService callers: the service principal, e.g. s3.amazonaws.com. */
  invokedBy?: string;
  sourceIp: string;
  userAgent: string;
}

/** The key manager's id of the request that answered (CloudTrail's `requestID`); null where it gives none. */
type Answered = { requestId: string | null };

export interface DataKey extends Answered {
  /** Key ARN of the KEK that wrapped the DEK. */
  keyId: string;
  /** KEK version (key material id) used; null where the key manager does not say. */
  kekVersion: string | null;
  /** Plaintext DEK: the caller owns this buffer and must zero it after use. */
  plaintext: Buffer;
  ciphertextBlob: Buffer;
}

export interface WrappedKey extends Answered {
  keyId: string;
  kekVersion: string | null;
  ciphertextBlob: Buffer;
}

export interface UnwrappedKey extends Answered {
  keyId: string;
  kekVersion: string | null;
  /** The caller owns this buffer and must zero it after use. */
  plaintext: Buffer;
}

export interface ReEncryptedKey extends WrappedKey {
  sourceKeyId: string;
  sourceKekVersion: string | null;
}

/**
 * A key manager that holds KEKs. Method names and semantics follow AWS KMS, so that
 * the local KMS and AWS KMS are interchangeable; failures throw `KmsError` with the
 * KMS error code.
 */
export interface KekProvider {
  readonly kind: 'local' | 'aws';
  generateDataKey(req: { keyId: string; encryptionContext: EncryptionContext; caller?: CallerIdentity }): Promise<DataKey>;
  encrypt(req: { keyId: string; plaintext: Buffer; encryptionContext: EncryptionContext; caller?: CallerIdentity }): Promise<WrappedKey>;
  decrypt(req: { ciphertextBlob: Buffer; encryptionContext: EncryptionContext; keyId?: string; caller?: CallerIdentity }): Promise<UnwrappedKey>;
  reEncrypt(req: {
    ciphertextBlob: Buffer;
    sourceEncryptionContext: EncryptionContext;
    destinationKeyId: string;
    destinationEncryptionContext: EncryptionContext;
    caller?: CallerIdentity;
  }): Promise<ReEncryptedKey>;
}
