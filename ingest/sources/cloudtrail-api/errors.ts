import { IngestError } from '../../errors';

/** Why a LookupEvents call failed, as far as the poller cares. */
export type FailureKind =
  | 'throttled'
  /** 5xx, connection reset, timeout: retry after a backoff. */
  | 'transient'
  | 'invalid-token'
  | 'missing-credentials'
  | 'access-denied'
  | 'expired-credentials'
  | 'invalid-credentials'
  | 'other';

const THROTTLE = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded']);
const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'OperationNotPermittedException']);
const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired', 'TokenRefreshRequired']);
const INVALID = new Set([
  'UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidSignatureException', 'SignatureDoesNotMatch',
  'IncompleteSignatureException', 'MissingAuthenticationTokenException',
]);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const TIMEOUTS = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

type SdkError = { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };

export function classifyFailure(err: unknown): FailureKind {
  const e = (err ?? {}) as SdkError;
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (THROTTLE.has(name) || status === 429) return 'throttled';
  if (name === 'InvalidNextTokenException') return 'invalid-token';
  if (name === 'CredentialsProviderError') return 'missing-credentials';
  if (DENIED.has(name)) return 'access-denied';
  if (EXPIRED.has(name)) return 'expired-credentials';
  if (INVALID.has(name)) return 'invalid-credentials';
  if (status >= 500 || TIMEOUTS.has(name) || NETWORK.has(e.code ?? '')) return 'transient';
  return 'other';
}

/** A failure of the CloudTrail API source that its message explains. */
export class CloudTrailApiError extends IngestError {
  override readonly name: string = 'CloudTrailApiError';
}

/**
 * Credentials or permissions are missing, wrong or expired: retrying will not help until
 * someone acts, so start-up refuses and the message says what to do.
 */
export class CloudTrailAccessError extends CloudTrailApiError {
  override readonly name = 'CloudTrailAccessError';
  constructor(
    readonly kind: 'missing-credentials' | 'access-denied' | 'expired-credentials' | 'invalid-credentials',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function accessError(kind: CloudTrailAccessError['kind'], target: string, profile: string | null, err: unknown): CloudTrailAccessError {
  const detail = err instanceof Error ? err.message : String(err);
  const creds = profile === null ? 'the default AWS credential chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO, web identity, instance role)' : `AWS profile "${profile}"`;
  const text: Record<CloudTrailAccessError['kind'], string> = {
    'missing-credentials': `no AWS credentials for CloudTrail target ${target}: ${creds} gave none (${detail})`,
    'access-denied': `CloudTrail target ${target}: the caller is not allowed cloudtrail:LookupEvents (AccessDenied: ${detail}); grant cloudtrail:LookupEvents to the principal of ${creds}`,
    'expired-credentials': `CloudTrail target ${target}: the credentials of ${creds} have expired (ExpiredTokenException: ${detail}); refresh them (e.g. aws sso login${profile === null ? '' : ` --profile ${profile}`}, or a new session token)`,
    'invalid-credentials': `CloudTrail target ${target}: AWS does not recognise the credentials of ${creds} (${detail}); check the access key and secret`,
  };
  return new CloudTrailAccessError(kind, text[kind], { cause: err });
}
