import { z } from 'zod';
import { EncryptionContextSchema } from '../../model/encryption-context';
import { EnvelopeError } from '../errors';
import { encodeAad, headerFields } from './binary';
import { canonicalizeContext } from './context';
import { ALGORITHMS_BY_NAME, FORMAT_VERSION, type Envelope, type ParsedEnvelope } from './format';

/**
 * The JSON form of an envelope: the same fields, bytes as base64. It carries the same
 * authenticated data as the binary form (the AAD is defined over the canonical binary
 * prefix, rebuilt here), so an envelope converts between the forms without re-encryption.
 */
export interface EnvelopeJson {
  format: 'keyscope-envelope';
  version: number;
  algorithm: string;
  kekId: string;
  kekVersion: string | null;
  dekId: string;
  wrappedDek: string;
  encryptionContext: Record<string, string>;
  iv: string;
  tag: string;
  ciphertext: string;
}

const EnvelopeJsonSchema = z
  .object({
    format: z.literal('keyscope-envelope'),
    version: z.literal(FORMAT_VERSION),
    algorithm: z.string(),
    kekId: z.string().min(1),
    kekVersion: z.string().min(1).nullable(),
    dekId: z.string().min(1),
    wrappedDek: z.base64().min(1),
    encryptionContext: EncryptionContextSchema,
    iv: z.base64(),
    tag: z.base64(),
    ciphertext: z.base64(),
  })
  .strict();

export function envelopeToJson(e: Envelope): EnvelopeJson {
  return {
    format: 'keyscope-envelope',
    version: e.formatVersion,
    algorithm: e.algorithm.name,
    kekId: e.kekId,
    kekVersion: e.kekVersion,
    dekId: e.dekId,
    wrappedDek: e.wrappedDek.toString('base64'),
    encryptionContext: { ...e.encryptionContext },
    iv: e.iv.toString('base64'),
    tag: e.tag.toString('base64'),
    ciphertext: e.ciphertext.toString('base64'),
  };
}

/** Parses the JSON form (a string or an already parsed value) into an envelope ready to open. */
export function envelopeFromJson(input: unknown): ParsedEnvelope {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new EnvelopeError('malformed', 'envelope JSON does not parse');
    }
  }
  // Version and algorithm first, so that a newer envelope says "unsupported", not "malformed".
  if (typeof value === 'object' && value !== null) {
    const { version, algorithm } = value as { version?: unknown; algorithm?: unknown };
    if (typeof version === 'number' && version !== FORMAT_VERSION) {
      throw new EnvelopeError('unsupported_version', `unsupported envelope format version ${version}`);
    }
    if (typeof algorithm === 'string' && !ALGORITHMS_BY_NAME.has(algorithm)) {
      throw new EnvelopeError('unsupported_version', 'unsupported algorithm');
    }
  }
  const parsed = EnvelopeJsonSchema.safeParse(value);
  if (!parsed.success) throw new EnvelopeError('malformed', 'not a keyscope envelope in JSON form');
  const j = parsed.data;
  const algorithm = ALGORITHMS_BY_NAME.get(j.algorithm)!;
  const iv = Buffer.from(j.iv, 'base64');
  const tag = Buffer.from(j.tag, 'base64');
  if (iv.length !== algorithm.ivLength || tag.length !== algorithm.tagLength) {
    throw new EnvelopeError('malformed', 'IV or tag length does not match the algorithm');
  }
  const env: Envelope = {
    formatVersion: FORMAT_VERSION,
    algorithm,
    kekId: j.kekId,
    kekVersion: j.kekVersion,
    dekId: j.dekId,
    wrappedDek: Buffer.from(j.wrappedDek, 'base64'),
    encryptionContext: j.encryptionContext,
    iv,
    tag,
    ciphertext: Buffer.from(j.ciphertext, 'base64'),
  };
  let canonicalContext: Buffer;
  let aad: Buffer;
  try {
    canonicalContext = canonicalizeContext(env.encryptionContext);
    aad = encodeAad(headerFields(env, canonicalContext));
  } catch {
    throw new EnvelopeError('malformed', 'envelope JSON fields out of range');
  }
  return { ...env, canonicalContext, aad };
}
