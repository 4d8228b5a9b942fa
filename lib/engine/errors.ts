/**
 * Typed errors of the envelope engine and its KEK providers.
 *
 * Messages name keys by id and never carry key material or plaintext.
 */

import { ERROR_CLASSES, KMS_ERROR_CODES, type ErrorClass, type KmsErrorCode } from '../model/error-classes';

// The vocabulary lives in the model (KeyOperations carry it); re-exported for the engine's callers.
export { ERROR_CLASSES, KMS_ERROR_CODES, type ErrorClass, type KmsErrorCode };

/** A failed key-manager call, with the code the key manager answered. */
export class KmsError extends Error {
  override readonly name = 'KmsError';
  /** The id of the request the key manager refused (CloudTrail's `requestID`), where known. */
  requestId: string | null = null;
  constructor(
    readonly code: KmsErrorCode,
    message: string,
    /** True where a retry may succeed (throttling, outages, timeouts). */
    readonly retryable = code === 'ThrottlingException' || code === 'KMSInternalException' || code === 'DependencyTimeoutException' || code === 'KeyUnavailableException',
  ) {
    super(message);
  }
}

export type EnvelopeErrorReason =
  | 'malformed' // not an envelope, or truncated
  | 'unsupported_version' // format version or algorithm this engine does not know
  | 'authentication_failed' // tag check failed: ciphertext, header, AAD or tag tampered
  | 'context_mismatch' // the caller's expected encryption context differs from the envelope's
  | 'kek_mismatch'; // the unwrapped DEK belongs to another KEK id/version than the envelope says

/** A message the engine refuses to open (no partial plaintext is ever returned). */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
  constructor(
    readonly reason: EnvelopeErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** Maps any error from the engine or a provider to the class a KeyOperation records. */
export function classifyError(err: unknown): ErrorClass {
  if (err instanceof EnvelopeError) return err.reason === 'malformed' || err.reason === 'unsupported_version' ? 'invalid_request' : 'integrity';
  if (err instanceof KmsError) {
    switch (err.code) {
      case 'ThrottlingException':
      case 'LimitExceededException':
        return 'throttled';
      case 'AccessDeniedException':
      case 'InvalidGrantTokenException':
        return 'access_denied';
      case 'KMSInternalException':
      case 'KeyUnavailableException':
        return 'kms_unavailable';
      case 'DependencyTimeoutException':
        return 'timeout';
      case 'InvalidCiphertextException':
      case 'IncorrectKeyException':
        return 'integrity';
      case 'DisabledException':
      case 'KMSInvalidStateException':
        return 'key_disabled';
      case 'NotFoundException':
        return 'not_found';
      case 'InvalidKeyUsageException':
      case 'ValidationException':
      case 'AlreadyExistsException':
        return 'invalid_request';
    }
  }
  return 'internal';
}
