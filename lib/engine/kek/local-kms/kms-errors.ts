import { KmsError } from '../../errors';

/** KmsErrors with the messages AWS KMS gives, so traces and CloudTrail errorMessages read alike. */
export const kmsErrors = {
  notFound: (what: string) => new KmsError('NotFoundException', `${what} is not found.`),
  invalidKeyId: (arg: string) => new KmsError('NotFoundException', `Invalid keyId '${arg}'`),
  keyNotFound: (arn: string) => new KmsError('NotFoundException', `Key '${arn}' does not exist`),
  disabled: (arn: string) => new KmsError('DisabledException', `${arn} is disabled.`),
  pendingDeletion: (arn: string) => new KmsError('KMSInvalidStateException', `${arn} is pending deletion.`),
  invalidState: (arn: string, state: string) => new KmsError('KMSInvalidStateException', `${arn} is ${state}.`),
  accessDenied: (principal: string, action: string, keyArn: string, explicitDeny: boolean) =>
    new KmsError(
      'AccessDeniedException',
      explicitDeny
        ? `User: ${principal} is not authorized to perform: ${action} on resource: ${keyArn} with an explicit deny in a resource-based policy`
        : `User: ${principal} is not authorized to perform: ${action} on resource: ${keyArn} because no resource-based policy allows the ${action} action`,
    ),
  invalidCiphertext: () => new KmsError('InvalidCiphertextException', 'The ciphertext is invalid, or was not encrypted under this key with this encryption context.'),
  incorrectKey: () => new KmsError('IncorrectKeyException', 'The key ID in the request does not identify a KMS key that can perform this operation.'),
  validation: (message: string) => new KmsError('ValidationException', message),
  alreadyExists: (arn: string) => new KmsError('AlreadyExistsException', `An alias with the name ${arn} already exists`),
  throttled: () => new KmsError('ThrottlingException', 'Rate exceeded'),
  internal: () => new KmsError('KMSInternalException', 'An internal error occurred. Retry the request.'),
  timeout: () => new KmsError('DependencyTimeoutException', 'The system timed out while trying to fulfill the request. Retry the request.'),
};
