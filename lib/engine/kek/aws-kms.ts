import {
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
  ReEncryptCommand,
  type KMSClientConfig,
} from '@aws-sdk/client-kms';
import type { EncryptionContext } from '../../model/encryption-context';
import { KMS_ERROR_CODES, KmsError, type KmsErrorCode } from '../errors';
import type { DataKey, KekProvider, ReEncryptedKey, UnwrappedKey, WrappedKey } from './provider';

export interface AwsKmsProviderOptions {
  region: string;
  /** Overrides the regional endpoint (VPC endpoints, FIPS, or a local test server). */
  endpoint?: string;
  /** Static credentials; when absent the SDK's default chain (env, profile, SSO, IMDS, ...) applies. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Total attempts per call including the first, for the SDK's standard retry strategy (default 3). */
  maxAttempts?: number;
  /** Abandons a connection attempt after this long (default 2000 ms). */
  connectionTimeoutMs?: number;
  /** Abandons a request whose response has not completed after this long (default 5000 ms). */
  requestTimeoutMs?: number;
}

/** Service errors whose names say that the request was not authenticated or authorised. */
const AUTH_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'CredentialsProviderError',
]);

/** Client-side failures of the HTTP layer that mean "no answer in time". */
const TIMEOUT_ERRORS = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);
/**
 * Connection failures. The SDK's HTTP handler renames some of these (ECONNRESET, EPIPE,
 * ECONNREFUSED) to TimeoutError so that its retry logic treats them as transient; the
 * socket code tells us that KMS was unreachable rather than slow.
 */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

const KNOWN_CODES: ReadonlySet<string> = new Set(KMS_ERROR_CODES);

/**
 * The KEK provider for AWS KMS. Calls go through `@aws-sdk/client-kms`, whose standard
 * retry strategy absorbs throttling and transient faults up to `maxAttempts`; whatever
 * still fails is rethrown as a `KmsError` carrying the service's error code, so the engine
 * classifies AWS and local-KMS failures alike.
 */
export class AwsKmsProvider implements KekProvider {
  readonly kind = 'aws' as const;
  private readonly client: KMSClient;

  constructor(options: AwsKmsProviderOptions) {
    const config: KMSClientConfig = {
      region: options.region,
      maxAttempts: options.maxAttempts ?? 3,
      requestHandler: {
        connectionTimeout: options.connectionTimeoutMs ?? 2000,
        requestTimeout: options.requestTimeoutMs ?? 5000,
        // Without this the SDK only logs a warning when requestTimeout passes.
        throwOnRequestTimeout: true,
      },
    };
    if (options.endpoint !== undefined) config.endpoint = options.endpoint;
    if (options.credentials !== undefined) config.credentials = options.credentials;
    this.client = new KMSClient(config);
  }

  async generateDataKey(req: { keyId: string; encryptionContext: EncryptionContext }): Promise<DataKey> {
    const out = await this.send('GenerateDataKey', () =>
      this.client.send(new GenerateDataKeyCommand({ KeyId: req.keyId, KeySpec: 'AES_256', EncryptionContext: context(req.encryptionContext) })),
    );
    const plaintext = takePlaintext(out.Plaintext, 'GenerateDataKey');
    if (!out.CiphertextBlob || !out.KeyId) {
      plaintext.fill(0);
      throw malformed('GenerateDataKey');
    }
    return { keyId: out.KeyId, kekVersion: out.KeyMaterialId ?? null, plaintext, ciphertextBlob: Buffer.from(out.CiphertextBlob), requestId: requestIdOf(out) };
  }

  async encrypt(req: { keyId: string; plaintext: Buffer; encryptionContext: EncryptionContext }): Promise<WrappedKey> {
    const out = await this.send('Encrypt', () =>
      this.client.send(new EncryptCommand({ KeyId: req.keyId, Plaintext: req.plaintext, EncryptionContext: context(req.encryptionContext) })),
    );
    if (!out.CiphertextBlob || !out.KeyId) throw malformed('Encrypt');
    // Encrypt's response does not name the key material it used.
    return { keyId: out.KeyId, kekVersion: null, ciphertextBlob: Buffer.from(out.CiphertextBlob), requestId: requestIdOf(out) };
  }

  async decrypt(req: { ciphertextBlob: Buffer; encryptionContext: EncryptionContext; keyId?: string }): Promise<UnwrappedKey> {
    const out = await this.send('Decrypt', () =>
      this.client.send(
        new DecryptCommand({ CiphertextBlob: req.ciphertextBlob, KeyId: req.keyId, EncryptionContext: context(req.encryptionContext) }),
      ),
    );
    const plaintext = takePlaintext(out.Plaintext, 'Decrypt');
    if (!out.KeyId) {
      plaintext.fill(0);
      throw malformed('Decrypt');
    }
    return { keyId: out.KeyId, kekVersion: out.KeyMaterialId ?? null, plaintext, requestId: requestIdOf(out) };
  }

  async reEncrypt(req: {
    ciphertextBlob: Buffer;
    sourceEncryptionContext: EncryptionContext;
    destinationKeyId: string;
    destinationEncryptionContext: EncryptionContext;
  }): Promise<ReEncryptedKey> {
    const out = await this.send('ReEncrypt', () =>
      this.client.send(
        new ReEncryptCommand({
          CiphertextBlob: req.ciphertextBlob,
          SourceEncryptionContext: context(req.sourceEncryptionContext),
          DestinationKeyId: req.destinationKeyId,
          DestinationEncryptionContext: context(req.destinationEncryptionContext),
        }),
      ),
    );
    if (!out.CiphertextBlob || !out.KeyId || !out.SourceKeyId) throw malformed('ReEncrypt');
    return {
      keyId: out.KeyId,
      kekVersion: out.DestinationKeyMaterialId ?? null,
      ciphertextBlob: Buffer.from(out.CiphertextBlob),
      sourceKeyId: out.SourceKeyId,
      sourceKekVersion: out.SourceKeyMaterialId ?? null,
      requestId: requestIdOf(out),
    };
  }

  /** Releases the SDK's sockets. */
  destroy(): void {
    this.client.destroy();
  }

  private async send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw toKmsError(operation, err);
    }
  }
}

/** KMS treats an absent and an empty context alike; omitting it keeps requests minimal. */
function context(ec: EncryptionContext): EncryptionContext | undefined {
  return Object.keys(ec).length > 0 ? ec : undefined;
}

/**
 * Copies the SDK's plaintext into a Buffer the caller owns and zeroes the SDK's array, so
 * the only live copy is the one the caller will zero. (The base64 text of the HTTP body is
 * a JS string and cannot be wiped; that copy is left to the garbage collector.)
 */
function takePlaintext(bytes: Uint8Array | undefined, operation: string): Buffer {
  if (!bytes || bytes.length === 0) throw malformed(operation);
  const copy = Buffer.alloc(bytes.length);
  copy.set(bytes);
  bytes.fill(0);
  return copy;
}

function malformed(operation: string): KmsError {
  return new KmsError('KMSInternalException', `${operation}: the KMS response lacks required fields`);
}

/** The `x-amzn-RequestId` KMS answered with (the SDK's `$metadata.requestId`), which CloudTrail records as `requestID`. */
function requestIdOf(out: { $metadata?: { requestId?: string } } | undefined): string | null {
  const id = out?.$metadata?.requestId;
  return typeof id === 'string' && id.length > 0 ? id : null;
}

/**
 * Maps whatever the SDK threw to a KmsError. Service errors keep their code where the
 * engine knows it; authentication failures count as access denied; timeouts as
 * DependencyTimeoutException; anything else (connection refused or reset, DNS, bugs) as
 * KMSInternalException, i.e. "KMS unavailable". The original error stays as `cause`.
 */
export function toKmsError(operation: string, err: unknown): KmsError {
  if (err instanceof KmsError) return err;
  const e = (err ?? {}) as { name?: unknown; message?: unknown; code?: unknown; $fault?: unknown; $metadata?: { httpStatusCode?: number; requestId?: string } };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const detail = typeof e.message === 'string' ? e.message.slice(0, 512) : '';
  let code: KmsErrorCode;
  const sysCode = typeof e.code === 'string' ? e.code : '';
  if (KNOWN_CODES.has(name)) code = name as KmsErrorCode;
  else if (AUTH_ERRORS.has(name)) code = 'AccessDeniedException';
  else if (NETWORK_CODES.has(sysCode)) code = 'KMSInternalException';
  else if (TIMEOUT_ERRORS.has(name) || TIMEOUT_CODES.has(sysCode)) code = 'DependencyTimeoutException';
  else if (e.$fault === 'client') code = 'ValidationException';
  else code = 'KMSInternalException';
  const out = new KmsError(code, `${operation} failed: ${name}${detail ? `: ${detail}` : ''}`);
  out.cause = err;
  out.requestId = requestIdOf(e);
  return out;
}
