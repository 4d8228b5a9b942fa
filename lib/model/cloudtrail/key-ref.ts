import { canonicalKeyArn, parseKekRef } from '../kek-ref';
import { optionalObject, optionalString } from './problems';
import type { CloudTrailRecordView } from './record-view';

/**
 * Which KMS key a record is about. CloudTrail names it in `resources[]` (as a key ARN)
 * for nearly every call that reached a key, while requestParameters.keyId is whatever the
 * caller passed (key id, key ARN, alias name or alias ARN) and is absent on most Decrypt
 * calls, since the ciphertext names its key.
 */

export interface KeyRef {
  keyArn: string | null;
  /** The id after `key/` (a UUID, or `mrk-...` for multi-Region keys). */
  keyId: string | null;
  /** The account in keyArn: the key's owner. */
  accountId: string | null;
}

export const NO_KEY: KeyRef = { keyArn: null, keyId: null, accountId: null };

/** A key ARN (not an alias ARN, not a bare id) as a KeyRef, in canonical form (lib/model/kek-ref.ts). */
export function parseKeyArn(value: string): KeyRef | null {
  const ref = parseKekRef(value);
  if (ref === null || ref.kind !== 'key' || ref.accountId === null) return null;
  return { keyArn: canonicalKeyArn(ref), keyId: ref.name, accountId: ref.accountId };
}

export interface KeyContext {
  region: string | null;
  recipientAccountId: string | null;
  callerAccountId: string | null;
}

/**
 * A key reference as a request or response names it. A bare key id can only name a key
 * in the caller's own account and the request's Region (KMS requires an ARN across
 * accounts), so its ARN is built when the caller's account is the trail's account (or the
 * caller is a service with no account). Aliases are left unresolved: an alias may point
 * at another key tomorrow, and the record does not say which key it pointed at then.
 */
export function refFromIdentifier(value: string | undefined, ctx: KeyContext): KeyRef | null {
  if (value === undefined) return null;
  const ref = parseKekRef(value);
  if (ref === null || ref.kind !== 'key') return null;
  if (ref.accountId !== null) return { keyArn: canonicalKeyArn(ref), keyId: ref.name, accountId: ref.accountId };
  const sameAccount = ctx.callerAccountId === null || ctx.callerAccountId === ctx.recipientAccountId;
  const keyArn = sameAccount ? canonicalKeyArn(ref, { region: ctx.region, accountId: ctx.recipientAccountId }) : null;
  return { keyArn, keyId: ref.name, accountId: keyArn ? ctx.recipientAccountId : null };
}

/** Key ARNs in resources[], in CloudTrail's order; alias ARNs (listed as AWS::KMS::Key too) are skipped. */
function resourceKeys(record: CloudTrailRecordView): KeyRef[] {
  const out: KeyRef[] = [];
  for (const r of record.resources ?? []) {
    if (r.type !== 'AWS::KMS::Key' || r.ARN === undefined) continue;
    const arn = parseKeyArn(r.ARN);
    if (arn) out.push(arn);
  }
  return out;
}

/** Where else a record names its key, most specific first. */
function namedKeys(record: CloudTrailRecordView): Array<string | undefined> {
  const rp = record.requestParameters;
  const re = record.responseElements;
  const sed = record.serviceEventDetails;
  return [
    optionalString(rp, 'keyId'),
    optionalString(rp, 'targetKeyId'),
    // Since December 2022 KMS writes the key ARN here even where the API does not return it.
    optionalString(re, 'keyId'),
    optionalString(optionalObject(re, 'keyMetadata'), 'arn'),
    // Older RotateKey/DeleteKey service events name the key only here, as a bare id.
    optionalString(sed, 'keyId'),
  ];
}

/** resources[] first; then the first key ARN named anywhere; then the first bare key id. */
export function resolveKey(record: CloudTrailRecordView, ctx: KeyContext): KeyRef {
  const fromResources = resourceKeys(record)[0];
  if (fromResources) return fromResources;
  const named = namedKeys(record);
  for (const v of named) {
    const arn = v === undefined ? null : parseKeyArn(v);
    if (arn) return arn;
  }
  for (const v of named) {
    const ref = refFromIdentifier(v, ctx);
    if (ref) return ref;
  }
  return NO_KEY;
}

/**
 * ReEncrypt touches two keys; CloudTrail lists them source first, then destination, and
 * once when both are the same key. With one listed key that is not the named destination,
 * the call stopped at the source (KMS opens the source ciphertext first).
 */
export function resolveReEncryptKeys(record: CloudTrailRecordView, ctx: KeyContext): { source: KeyRef; destination: KeyRef } {
  const rp = record.requestParameters;
  const keys = resourceKeys(record);
  const named = {
    source: refFromIdentifier(optionalString(rp, 'sourceKeyId'), ctx) ?? NO_KEY,
    destination: refFromIdentifier(optionalString(rp, 'destinationKeyId'), ctx) ?? NO_KEY,
  };
  const [first, second] = keys;
  if (first && second) return { source: first, destination: second };
  if (!first) return named;
  if (named.destination.keyId !== null && named.destination.keyId === first.keyId) {
    // One key for both sides. A failed call may have stopped before its source was opened,
    // so there the listed key proves only the destination.
    return { source: record.errorCode ? named.source : first, destination: first };
  }
  return { source: first, destination: named.destination };
}
