/**
 * CloudTrail writes an error code the way the answering service spelled it, and the same
 * failure arrives as `AccessDenied` or `AccessDeniedException`, `Throttling` or
 * `ThrottlingException`. Events keep the code as written (it is evidence); grouping and
 * alerting use the canonical form below.
 */

/** KMS's own error codes (API reference), in the form KMS returns them. */
const KMS_CODES = [
  'AccessDeniedException',
  'AlreadyExistsException',
  'CloudHsmClusterInUseException',
  'CloudHsmClusterInvalidConfigurationException',
  'CloudHsmClusterNotActiveException',
  'CloudHsmClusterNotFoundException',
  'CloudHsmClusterNotRelatedException',
  'ConflictException',
  'CustomKeyStoreHasCMKsException',
  'CustomKeyStoreInvalidStateException',
  'CustomKeyStoreNameInUseException',
  'CustomKeyStoreNotFoundException',
  'DependencyTimeoutException',
  'DisabledException',
  'DryRunOperationException',
  'ExpiredImportTokenException',
  'IncorrectKeyException',
  'IncorrectKeyMaterialException',
  'IncorrectTrustAnchorException',
  'InvalidAliasNameException',
  'InvalidArnException',
  'InvalidCiphertextException',
  'InvalidGrantIdException',
  'InvalidGrantTokenException',
  'InvalidImportTokenException',
  'InvalidKeyUsageException',
  'InvalidMarkerException',
  'KeyUnavailableException',
  'KMSInternalException',
  'KMSInvalidMacException',
  'KMSInvalidSignatureException',
  'KMSInvalidStateException',
  'LimitExceededException',
  'MalformedPolicyDocumentException',
  'NotFoundException',
  'TagException',
  'ThrottlingException',
  'UnsupportedOperationException',
  'ValidationException',
  'XksKeyAlreadyInUseException',
  'XksKeyInvalidConfigurationException',
  'XksKeyNotFoundException',
  'XksProxyIncorrectAuthenticationCredentialException',
  'XksProxyInvalidConfigurationException',
  'XksProxyInvalidResponseException',
  'XksProxyUriEndpointInUseException',
  'XksProxyUriInUseException',
  'XksProxyUriUnreachableException',
  'XksProxyVpcEndpointServiceInUseException',
  'XksProxyVpcEndpointServiceInvalidConfigurationException',
  'XksProxyVpcEndpointServiceNotFoundException',
] as const;

/**
 * Other spellings of the same failure. Request-rate errors of the AWS SDKs and other
 * services (EC2's RequestLimitExceeded, API Gateway's TooManyRequestsException) are
 * throttling too. LimitExceededException is not: in KMS it means a resource quota
 * (aliases, grants, keys) was reached, which retrying does not fix.
 */
const SYNONYMS: ReadonlyArray<readonly [string, string]> = [
  ['Throttling', 'ThrottlingException'],
  ['ThrottledException', 'ThrottlingException'],
  ['RequestLimitExceeded', 'ThrottlingException'],
  ['RequestThrottled', 'ThrottlingException'],
  ['RequestThrottledException', 'ThrottlingException'],
  ['TooManyRequestsException', 'ThrottlingException'],
  ['SlowDown', 'ThrottlingException'],
  ['InternalFailure', 'KMSInternalException'],
  ['InternalError', 'KMSInternalException'],
  ['InternalServerError', 'KMSInternalException'],
  ['InternalException', 'KMSInternalException'],
  ['InvalidStateException', 'KMSInvalidStateException'],
  ['UnauthorizedOperation', 'AccessDeniedException'],
];

const SUFFIX = 'Exception';

/** Lower-cased spelling → canonical code; every KMS code also answers to its name without the suffix. */
const CANONICAL: ReadonlyMap<string, string> = new Map([
  ...KMS_CODES.flatMap((c) => [[c.toLowerCase(), c] as const, [c.slice(0, -SUFFIX.length).toLowerCase(), c] as const]),
  ...SYNONYMS.map(([alias, c]) => [alias.toLowerCase(), c] as const),
]);

/**
 * The canonical form of an error code, for grouping: `AccessDenied` and
 * `AccessDeniedException` both give `AccessDeniedException`. Codes it does not know come
 * back as written (trimmed), so that nothing is merged by guesswork.
 */
export function normalizeErrorCode(code: string): string {
  const trimmed = code.trim();
  return CANONICAL.get(trimmed.toLowerCase()) ?? trimmed;
}
