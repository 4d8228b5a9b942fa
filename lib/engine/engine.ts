import type { DekRecord } from '../model/dek-record';
import type { EncryptionContext } from '../model/encryption-context';
import type { Clock } from './clock';
import { DecryptDekCache, type DecryptCacheOptions } from './dek/decrypt-cache';
import type { EncryptLease } from './dek/encrypt-cache';
import { createDekSource, type DekPolicy, type DekSource } from './dek/policy';
import type { DekLease } from './dek/shared-dek';
import { assertSameKek, DekUnwrapper } from './dek/unwrap';
import { OperationEmitter, type CallScope } from './engine-events';
import { contextIncludes } from './envelope/context';
import { ContextMemo } from './envelope/context-memo';
import { decodeEnvelope } from './envelope/binary';
import { envelopeAt, locateEnvelope, type EnvelopeSpans } from './envelope/decode';
import type { ParsedEnvelope } from './envelope/format';
import { openEnvelopeAt, rewrapEnvelope, sealEnvelope, sealEnvelopeParts, type HeaderTemplate } from './envelope/seal';
import { EnvelopeError } from './errors';
import type { CallerIdentity, KekProvider } from './kek/provider';
import type { SeededRandom } from './random';
import type { EventSink } from './sinks/event-sink';
import { UuidStream } from './uuid-stream';

export interface EnvelopeEngineOptions {
  provider: KekProvider;
  /** The KEK new DEKs are generated under (key id, ARN or alias, as the provider accepts). */
  kekId: string;
  dekPolicy: DekPolicy;
  decryptCache: DecryptCacheOptions | false;
  clock: Clock;
  /** Traffic shape only (DEK, operation and trace ids); IVs and keys never come from it. */
  random: SeededRandom;
  sink: EventSink;
  service: string;
  caller?: CallerIdentity;
  region?: string;
  accountId?: string;
}

export interface EncryptObjectRequest {
  objectId: string;
  objectPath: string;
  tenant: string;
  plaintext: Buffer;
  encryptionContext: EncryptionContext;
  traceId?: string;
}

export interface DecryptObjectRequest {
  envelope: Buffer;
  tenant: string;
  objectId?: string;
  /** Pairs that must be present in the envelope's context (a subset check). */
  expectedContext?: EncryptionContext;
  traceId?: string;
}

export interface RewrapObjectRequest {
  envelope: Buffer;
  objectId: string;
  objectPath: string;
  tenant: string;
  /** Defaults to the envelope's KEK, which moves the DEK to that key's current version. */
  destinationKeyId?: string;
  /** The object's original encryption time for its DekRecord; the envelope does not carry it. */
  encryptedAt?: string;
  /** The object's payload size for its DekRecord, when the envelope given holds only its key block. */
  bytes?: number;
  traceId?: string;
}

export interface SealedObject {
  envelope: Buffer;
  dekRecord: DekRecord;
}

/**
 * An envelope in the pieces the cipher produced (encryptObjectParts): written in order
 * (writev, a stream, a multipart upload) they are the envelope; Buffer.concat(parts)
 * is the same bytes encryptObject returns.
 */
export interface SealedParts {
  parts: Buffer[];
  /** The envelope's length: the sum of the parts' lengths. */
  byteLength: number;
  dekRecord: DekRecord;
}

/** Who a KeyOperation for a message is about (a ParsedEnvelope or a HeaderInfo). */
interface DekRef {
  kekId: string;
  kekVersion: string | null;
  dekId: string;
}

const sealOne = (t: HeaderTemplate, dek: Buffer, plaintext: Buffer): Buffer => sealEnvelope(t, dek, plaintext);
const sealParts = (t: HeaderTemplate, dek: Buffer, plaintext: Buffer): Buffer[] => sealEnvelopeParts(t, dek, plaintext);
const asSealedObject = (envelope: Buffer, dekRecord: DekRecord): SealedObject => ({ envelope, dekRecord });
function asSealedParts(parts: Buffer[], dekRecord: DekRecord): SealedParts {
  let byteLength = 0;
  for (const p of parts) byteLength += p.length;
  return { parts, byteLength, dekRecord };
}

/**
 * Envelope encryption of whole objects: a DEK per object or per cache window, AES-256-GCM
 * payloads, KEK operations through a KekProvider. Emits a KeyOperation per step and a
 * DekRecord per object written or rewrapped. Object-level operations ('encrypt',
 * 'decrypt') are emitted for every call, with end-to-end latency and the payload size in
 * `bytes`; key-level ones ('generate_data_key', 'unwrap', 'rewrap') whenever a DEK was
 * asked for, with the latency of obtaining it and `bytes` 0 (they move no payload).
 * `cacheHit` is null where no cache applies (per-object policy, no decrypt cache). A DEK
 * the cache hands over synchronously is reported with latency 0 without reading the
 * clock: it took a map lookup, far under the clock's millisecond, and a clock read is a
 * measurable share of a cached call.
 */
export class EnvelopeEngine {
  private readonly dekSource: DekSource;
  private readonly unwrapper: DekUnwrapper;
  private readonly ops: OperationEmitter;
  private readonly traceIds: UuidStream;
  private readonly contexts = new ContextMemo();

  constructor(private readonly opts: EnvelopeEngineOptions) {
    const caller = opts.caller;
    // Separate streams, so that e.g. a cache hit (no new DEK id) does not shift later trace ids.
    this.dekSource = createDekSource(opts.dekPolicy, { provider: opts.provider, kekId: opts.kekId, clock: opts.clock, random: opts.random.fork('dek-ids'), caller });
    const cache = opts.decryptCache === false ? null : new DecryptDekCache(opts.decryptCache, opts.clock);
    this.unwrapper = new DekUnwrapper(opts.provider, cache, caller);
    this.ops = new OperationEmitter(opts.sink, new UuidStream(opts.random.fork('operation-ids')), {
      service: opts.service,
      principal: caller?.arn ?? null,
      region: opts.region ?? null,
      accountId: opts.accountId ?? caller?.accountId ?? null,
    });
    this.traceIds = new UuidStream(opts.random.fork('trace-ids'));
  }

  /**
   * Encrypts one object under a DEK from the policy into one envelope buffer. A cached
   * DEK is taken synchronously, and the payload is copied once after the cipher (into
   * the envelope); encryptObjectParts avoids that copy.
   */
  encryptObject(req: EncryptObjectRequest): Promise<SealedObject> {
    return this.encrypt(req, sealOne, asSealedObject);
  }

  /**
   * encryptObject for callers that write the envelope out in pieces (writev, streams,
   * multipart uploads): the same envelope bytes and the same events, as the header, the
   * cipher's output and the tag, so the payload is never copied. The fast path for 64 KiB
   * and larger objects.
   */
  encryptObjectParts(req: EncryptObjectRequest): Promise<SealedParts> {
    return this.encrypt(req, sealParts, asSealedParts);
  }

  /** The encrypt path of both APIs: `seal` makes the envelope, `done` the answer. */
  private async encrypt<T, R>(
    req: EncryptObjectRequest,
    seal: (t: HeaderTemplate, dek: Buffer, plaintext: Buffer) => T,
    done: (sealed: T, dekRecord: DekRecord) => R,
  ): Promise<R> {
    const { clock, kekId } = this.opts;
    const ops = this.ops;
    const bytes = req.plaintext.length;
    const t0 = clock.now();
    const scope: CallScope = { tenant: req.tenant, objectId: req.objectId, traceId: req.traceId ?? this.traceIds.uuid() };
    let dreq;
    try {
      const c = this.contexts.get(req.encryptionContext);
      dreq = { encryptionContext: req.encryptionContext, canonicalContext: c.bytes, contextKey: c.key, bytes };
    } catch (err) {
      ops.failure(err, scope, 'encrypt', t0, clock.now() - t0, kekId, null, null, null, bytes);
      throw err;
    }
    let dek: EncryptLease | undefined = this.dekSource.take(dreq);
    const taken = dek !== undefined;
    const cacheHit = this.dekSource.caching ? taken : null;
    if (dek === undefined) {
      try {
        dek = await this.dekSource.generate(dreq);
      } catch (err) {
        const t = clock.now() - t0;
        ops.failure(err, scope, 'generate_data_key', t0, t, kekId, null, null, cacheHit, 0);
        ops.failure(err, scope, 'encrypt', t0, t, kekId, null, null, null, bytes);
        throw err;
      }
    }
    const { material, lease } = dek;
    const { dekId, keyId, kekVersion } = material;
    let sealed: T;
    // The lease is released whatever happens below, a throwing sink included.
    try {
      ops.success(scope, 'generate_data_key', t0, taken ? 0 : clock.now() - t0, keyId, kekVersion, dekId, cacheHit, 0, taken ? null : material.requestId);
      try {
        sealed = seal(material.header, lease.plaintext, req.plaintext);
      } catch (err) {
        ops.failure(err, scope, 'encrypt', t0, clock.now() - t0, keyId, kekVersion, dekId, null, bytes);
        throw err;
      }
    } finally {
      lease.release();
    }
    const t1 = clock.now();
    ops.success(scope, 'encrypt', t0, t1 - t0, keyId, kekVersion, dekId, null, bytes);
    const at = ops.iso(t1);
    const dekRecord: DekRecord = {
      objectId: req.objectId, objectPath: req.objectPath, dekId, kekId: keyId, kekVersion, tenant: req.tenant, service: this.opts.service,
      encryptionContext: { ...req.encryptionContext }, bytes, encryptedAt: at, updatedAt: at, rotationStatus: 'current',
    };
    this.opts.sink.writeDekRecord(dekRecord);
    return done(sealed, dekRecord);
  }

  /**
   * Decrypts one object. Hot path with a cached DEK: the cache answers synchronously, so
   * a hit awaits nothing, and no closures are built per call.
   */
  async decryptObject(req: DecryptObjectRequest): Promise<Buffer> {
    const { clock, kekId } = this.opts;
    const ops = this.ops;
    const buf = req.envelope;
    const t0 = clock.now();
    const scope: CallScope = { tenant: req.tenant, objectId: req.objectId ?? null, traceId: req.traceId ?? this.traceIds.uuid() };
    // Offsets, not views: the header comes from the decode memo and the message is
    // opened in place (openEnvelopeAt); a full ParsedEnvelope is built only on a miss.
    let at: EnvelopeSpans;
    try {
      at = locateEnvelope(buf);
    } catch (err) {
      ops.failure(err, scope, 'decrypt', t0, clock.now() - t0, kekId, null, null, null, 0);
      throw err;
    }
    const h = at.header;
    const bytes = at.ctLength;
    if (req.expectedContext && !contextIncludes(h.encryptionContext, req.expectedContext)) {
      const err = new EnvelopeError('context_mismatch', `message under DEK ${h.dekId} does not carry the expected encryption context`);
      this.decryptFailed(err, scope, t0, h, bytes);
      throw err;
    }
    let lease: DekLease | undefined = this.unwrapper.cachedLease(h, buf);
    const taken = lease !== undefined;
    let cacheHit: boolean | null = true;
    let requestId: string | null = null;
    if (lease === undefined) {
      try {
        ({ lease, cacheHit, requestId } = await this.unwrapper.fetch(envelopeAt(buf, at), h));
      } catch (err) {
        const cacheHit = this.opts.decryptCache === false ? null : false;
        ops.failure(err, scope, 'unwrap', t0, clock.now() - t0, h.kekId, h.kekVersion, h.dekId, cacheHit, 0);
        this.decryptFailed(err, scope, t0, h, bytes);
        throw err;
      }
    }
    let plaintext: Buffer;
    try {
      ops.success(scope, 'unwrap', t0, taken ? 0 : clock.now() - t0, h.kekId, h.kekVersion, h.dekId, cacheHit, 0, requestId);
      try {
        plaintext = openEnvelopeAt(buf, at, lease.plaintext);
      } catch (err) {
        this.decryptFailed(err, scope, t0, h, bytes);
        throw err;
      }
    } finally {
      lease.release();
    }
    ops.success(scope, 'decrypt', t0, clock.now() - t0, h.kekId, h.kekVersion, h.dekId, null, bytes);
    return plaintext;
  }

  private decryptFailed(err: unknown, scope: CallScope, t0: number, ref: DekRef, bytes: number): void {
    this.ops.failure(err, scope, 'decrypt', t0, this.opts.clock.now() - t0, ref.kekId, ref.kekVersion, ref.dekId, null, bytes);
  }

  /**
   * Moves an object's DEK to another KEK (version) with the key manager's ReEncrypt: the
   * plaintext DEK never reaches this process and the payload is not touched.
   */
  async rewrapObject(req: RewrapObjectRequest): Promise<SealedObject> {
    const { clock, provider } = this.opts;
    const t0 = clock.now();
    const scope: CallScope = { tenant: req.tenant, objectId: req.objectId, traceId: req.traceId ?? this.traceIds.uuid() };
    let env: ParsedEnvelope | undefined;
    let envelope: Buffer;
    let keyId: string;
    let kekVersion: string | null;
    let requestId: string | null;
    try {
      env = decodeEnvelope(req.envelope);
      const r = await provider.reEncrypt({
        ciphertextBlob: env.wrappedDek,
        sourceEncryptionContext: env.encryptionContext,
        destinationKeyId: req.destinationKeyId ?? env.kekId,
        destinationEncryptionContext: env.encryptionContext,
        caller: this.opts.caller,
      });
      // The key block is not AAD: the key manager's view of the source key must match it.
      assertSameKek(env, { keyId: r.sourceKeyId, kekVersion: r.sourceKekVersion });
      ({ keyId, kekVersion, requestId } = r);
      envelope = rewrapEnvelope(env, { kekId: keyId, kekVersion, wrappedDek: r.ciphertextBlob });
    } catch (err) {
      this.ops.failure(err, scope, 'rewrap', t0, clock.now() - t0, env?.kekId ?? this.opts.kekId, env?.kekVersion ?? null, env?.dekId ?? null, null, 0);
      throw err;
    }
    const t1 = clock.now();
    this.ops.success(scope, 'rewrap', t0, t1 - t0, keyId, kekVersion, env.dekId, null, 0, requestId);
    const at = this.ops.iso(t1);
    const dekRecord: DekRecord = {
      objectId: req.objectId, objectPath: req.objectPath, dekId: env.dekId, kekId: keyId, kekVersion, tenant: req.tenant, service: this.opts.service,
      encryptionContext: { ...env.encryptionContext }, bytes: req.bytes ?? env.ciphertext.length, encryptedAt: req.encryptedAt ?? at, updatedAt: at, rotationStatus: 'rewrapped',
    };
    this.opts.sink.writeDekRecord(dekRecord);
    return { envelope, dekRecord };
  }

  /** Zeroes every cached DEK (in-flight operations finish first). The engine stays usable. */
  clearCaches(): void {
    this.dekSource.clear();
    this.unwrapper.clear();
  }
}
