import type { KeyOperation, KeyOperationKind } from '../model/key-operation';
import { classifyError, KmsError } from './errors';
import type { UuidStream } from './uuid-stream';
import type { EventSink } from './sinks/event-sink';

/** The operations that are one key-manager call each (the others are local AES work). */
const KMS_CALLS: ReadonlySet<KeyOperationKind> = new Set(['generate_data_key', 'unwrap', 'rewrap', 'wrap']);

/** What all operations of one engine call share. */
export interface CallScope {
  tenant: string;
  objectId: string | null;
  traceId: string;
}

export interface EmitterIdentity {
  service: string;
  principal: string | null;
  region: string | null;
  accountId: string | null;
}

/**
 * Builds and writes KeyOperations. It runs twice per encrypted object on the hot path,
 * so it builds one plain object of a fixed shape (no spreads, no validation, no
 * serialization: the sink decides when to serialize) and reuses the ISO time string of
 * the previous event when the clock has not moved. Only ids, sizes and error codes go
 * in: never key material, plaintext or error messages.
 */
export class OperationEmitter {
  private isoMs = Number.NaN;
  private isoText = '';
  /** toISOString of the current second up to its '.', and which second that is. */
  private isoSec = Number.NaN;
  private isoPrefix = '';

  constructor(
    private readonly sink: EventSink,
    private readonly ids: UuidStream,
    private readonly identity: EmitterIdentity,
  ) {}

  /**
   * `new Date(ms).toISOString()`, memoized for the same millisecond; a new millisecond
   * in the same second only rewrites the last digits. Date keeps the time value
   * truncated to an integer, and the text ends "ss.mmmZ" in every year format; anything
   * toISOString refuses (NaN, out of range) still goes to it and throws as before.
   */
  iso(ms: number): string {
    if (ms !== this.isoMs) {
      const t = Math.trunc(ms);
      const sec = Math.floor(t / 1000);
      if (sec !== this.isoSec) {
        this.isoPrefix = new Date(t).toISOString().slice(0, -4);
        this.isoSec = sec;
      }
      const milli = t - sec * 1000;
      this.isoText = this.isoPrefix + (milli < 10 ? '00' : milli < 100 ? '0' : '') + milli + 'Z';
      this.isoMs = ms;
    }
    return this.isoText;
  }

  /** `kmsRequestId`: the key manager's request behind this operation, for the operations that call it. */
  success(
    scope: CallScope, operation: KeyOperationKind, startMs: number, latencyMs: number,
    kekId: string, kekVersion: string | null, dekId: string | null, cacheHit: boolean | null, bytes: number, kmsRequestId: string | null = null,
  ): void {
    this.write(scope, operation, startMs, latencyMs, kekId, kekVersion, dekId, cacheHit, bytes, 'success', null, null, kmsRequestId);
  }

  failure(
    err: unknown, scope: CallScope, operation: KeyOperationKind, startMs: number, latencyMs: number,
    kekId: string, kekVersion: string | null, dekId: string | null, cacheHit: boolean | null, bytes: number,
  ): void {
    const kms = err instanceof KmsError ? err : null;
    // The refused request belongs to the operation that made it, not to the encrypt or decrypt around it.
    const requestId = kms !== null && KMS_CALLS.has(operation) ? kms.requestId : null;
    this.write(scope, operation, startMs, latencyMs, kekId, kekVersion, dekId, cacheHit, bytes, 'failure', classifyError(err), kms?.code ?? null, requestId);
  }

  private write(
    scope: CallScope, operation: KeyOperationKind, startMs: number, latencyMs: number,
    kekId: string, kekVersion: string | null, dekId: string | null, cacheHit: boolean | null, bytes: number,
    outcome: KeyOperation['outcome'], errorClass: KeyOperation['errorClass'], errorCode: string | null, kmsRequestId: string | null,
  ): void {
    this.sink.writeOperation({
      id: this.ids.uuid(),
      time: this.iso(startMs),
      service: this.identity.service,
      tenant: scope.tenant,
      operation,
      kekId,
      kekVersion,
      dekId,
      objectId: scope.objectId,
      outcome,
      errorClass,
      errorCode,
      latencyMs: latencyMs > 0 ? latencyMs : 0,
      cacheHit,
      bytes,
      traceId: scope.traceId,
      principal: this.identity.principal,
      region: this.identity.region,
      accountId: this.identity.accountId,
      kmsRequestId,
    });
  }
}
