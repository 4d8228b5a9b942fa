/**
 * The error vocabulary of the model: the codes AWS KMS answers with and the classes a
 * KeyOperation records. Here, not in the engine, so that the model imports nothing of
 * keyscope's (DESIGN.md, "The model"); the engine maps its errors onto these.
 */

/** AWS KMS error codes, as the service returns them (`__type` on the wire, `errorCode` in CloudTrail). */
export const KMS_ERROR_CODES = [
  'AccessDeniedException',
  'AlreadyExistsException',
  'DependencyTimeoutException',
  'DisabledException',
  'IncorrectKeyException',
  'InvalidCiphertextException',
  'InvalidGrantTokenException',
  'InvalidKeyUsageException',
  'KMSInternalException',
  'KMSInvalidStateException',
  'KeyUnavailableException',
  'LimitExceededException',
  'NotFoundException',
  'ThrottlingException',
  'ValidationException',
] as const;
export type KmsErrorCode = (typeof KMS_ERROR_CODES)[number];

/** The error classes that KeyOperations carry (DESIGN.md, "The model"). */
export const ERROR_CLASSES = [
  'throttled',
  'access_denied',
  'kms_unavailable',
  'timeout',
  'integrity',
  'key_disabled',
  'not_found',
  'invalid_request',
  'internal',
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];
