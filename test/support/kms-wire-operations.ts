import { KmsError } from '../../lib/engine/errors';
import type { CallerIdentity, KekProvider } from '../../lib/engine/kek/provider';
import type { EncryptionContext } from '../../lib/model/encryption-context';

/**
 * The KMS operations the wire server serves, translated between AWS JSON 1.1 shapes
 * (base64 blobs, PascalCase fields) and a KekProvider, with the error shapes KMS uses.
 */

/** HTTP statuses KMS uses per error (its Smithy model's httpError traits); all others are 400. */
export const STATUS: Record<string, number> = {
  DependencyTimeoutException: 503,
  KMSInternalException: 500,
  KeyUnavailableException: 500,
  DisabledException: 409,
  KMSInvalidStateException: 409,
  NotFoundException: 404,
};

export const MESSAGES: Record<string, string> = {
  ThrottlingException: 'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.',
  KMSInternalException: 'An internal error occurred.',
  DependencyTimeoutException: 'The system timed out while trying to fulfill the request.',
};

/** A failure answered on the wire with a KMS error shape. */
export class WireError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = STATUS[code] ?? 400,
  ) {
    super(message);
  }
}

export type Body = Record<string, unknown>;
export type Handler = (body: Body, caller: CallerIdentity) => Promise<Body>;

/** The operations the engine uses, translated between the wire shapes and KekProvider. */
export function operations(provider: KekProvider): Record<string, Handler> {
  return {
    async GenerateDataKey(b, caller) {
      const size = dataKeySize(b);
      // LocalKms reads keySpec/numberOfBytes; a provider that ignores them must still match.
      const req: GenerateDataKeyRequest = { keyId: str(b, 'KeyId'), encryptionContext: ctx(b.EncryptionContext), caller, ...size.request };
      const dk = await provider.generateDataKey(req);
      if (dk.plaintext.length !== size.bytes) {
        dk.plaintext.fill(0);
        throw new WireError('KMSInternalException', MESSAGES.KMSInternalException!);
      }
      return withMaterial({ CiphertextBlob: b64(dk.ciphertextBlob), Plaintext: takeB64(dk.plaintext), KeyId: dk.keyId }, 'KeyMaterialId', dk.kekVersion);
    },
    async Encrypt(b, caller) {
      const plaintext = blob(b, 'Plaintext');
      try {
        const w = await provider.encrypt({ keyId: str(b, 'KeyId'), plaintext, encryptionContext: ctx(b.EncryptionContext), caller });
        return { CiphertextBlob: b64(w.ciphertextBlob), KeyId: w.keyId, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
      } finally {
        plaintext.fill(0);
      }
    },
    async Decrypt(b, caller) {
      const keyId = typeof b.KeyId === 'string' ? b.KeyId : undefined;
      const req = { ciphertextBlob: blob(b, 'CiphertextBlob'), encryptionContext: ctx(b.EncryptionContext), caller };
      const u = await provider.decrypt(keyId === undefined ? req : { ...req, keyId });
      return withMaterial({ KeyId: u.keyId, Plaintext: takeB64(u.plaintext), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' }, 'KeyMaterialId', u.kekVersion);
    },
    async ReEncrypt(b, caller) {
      const r = await provider.reEncrypt({
        ...(typeof b.SourceKeyId === 'string' ? { sourceKeyId: b.SourceKeyId } : {}),
        ciphertextBlob: blob(b, 'CiphertextBlob'),
        sourceEncryptionContext: ctx(b.SourceEncryptionContext),
        destinationKeyId: str(b, 'DestinationKeyId'),
        destinationEncryptionContext: ctx(b.DestinationEncryptionContext),
        caller,
      });
      const out = {
        CiphertextBlob: b64(r.ciphertextBlob),
        SourceKeyId: r.sourceKeyId,
        KeyId: r.keyId,
        SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
      return withMaterial(withMaterial(out, 'SourceKeyMaterialId', r.sourceKekVersion), 'DestinationKeyMaterialId', r.kekVersion);
    },
  };
}

type GenerateDataKeyRequest = Parameters<KekProvider['generateDataKey']>[0] & { keySpec?: 'AES_256' | 'AES_128'; numberOfBytes?: number };

/** KeySpec or NumberOfBytes (exactly one; AES_256 when neither), as KMS validates them. */
function dataKeySize(b: Body): { bytes: number; request: Pick<GenerateDataKeyRequest, 'keySpec' | 'numberOfBytes'> } {
  if (b.KeySpec !== undefined && b.NumberOfBytes !== undefined) throw new WireError('ValidationException', 'Please specify either number of bytes or key spec.');
  if (b.NumberOfBytes !== undefined) {
    const n = b.NumberOfBytes;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 1024) {
      throw new WireError('ValidationException', "1 validation error detected: Value at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and 1024");
    }
    return { bytes: n, request: { numberOfBytes: n } };
  }
  const spec = b.KeySpec ?? 'AES_256';
  if (spec !== 'AES_256' && spec !== 'AES_128') {
    throw new WireError('ValidationException', "1 validation error detected: Value at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]");
  }
  return { bytes: spec === 'AES_128' ? 16 : 32, request: { keySpec: spec } };
}

function withMaterial(out: Body, field: string, id: string | null): Body {
  return id === null ? out : { ...out, [field]: id };
}

function str(b: Body, field: string): string {
  const v = b[field];
  if (typeof v !== 'string' || v.length === 0) throw new WireError('ValidationException', `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`);
  return v;
}

function blob(b: Body, field: string): Buffer {
  const v = str(b, field);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw new WireError('SerializationException', `${field} is not valid base64`);
  return Buffer.from(v, 'base64');
}

function ctx(v: unknown): EncryptionContext {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v) || !Object.values(v).every((x) => typeof x === 'string')) {
    throw new WireError('ValidationException', 'EncryptionContext must map strings to strings');
  }
  return v as EncryptionContext;
}

function b64(buf: Buffer): string {
  return buf.toString('base64');
}

/** Encodes a plaintext key for the response and zeroes the provider's buffer. */
function takeB64(buf: Buffer): string {
  const s = buf.toString('base64');
  buf.fill(0);
  return s;
}

export function toWireError(err: unknown): WireError {
  if (err instanceof WireError) return err;
  if (err instanceof KmsError) return new WireError(err.code, err.message);
  return new WireError('KMSInternalException', MESSAGES.KMSInternalException!);
}

