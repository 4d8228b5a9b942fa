/**
 * KMS identifiers: key ids are UUIDs, key ARNs `arn:aws:kms:<region>:<acct>:key/<id>`, alias
 * names `alias/<name>` and alias ARNs. A KeyId argument may be any of the four, as in KMS;
 * lib/model/kek-ref.ts parses them.
 */
import { parseKekRef } from '../../../model/kek-ref';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ALIAS_NAME_RE = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;

export function isKeyId(s: string): boolean {
  return UUID_RE.test(s);
}

export function isValidAliasName(s: string): boolean {
  return ALIAS_NAME_RE.test(s);
}

export function keyArn(region: string, accountId: string, keyId: string): string {
  return `arn:aws:kms:${region}:${accountId}:key/${keyId}`;
}

export function aliasArn(region: string, accountId: string, aliasName: string): string {
  return `arn:aws:kms:${region}:${accountId}:${aliasName}`;
}

export type KeyRef = { kind: 'key'; keyId: string } | { kind: 'alias'; aliasName: string };

/**
 * What a KeyId argument names, or null if it cannot name anything in this KMS (malformed,
 * or an ARN of another account or region: a local KMS serves exactly one of each).
 */
export function parseKeyRef(input: string, region: string, accountId: string): KeyRef | null {
  const ref = parseKekRef(input);
  if (ref === null) return null;
  if (ref.accountId !== null && (ref.region !== region || ref.accountId !== accountId)) return null;
  return ref.kind === 'key' ? { kind: 'key', keyId: ref.name } : { kind: 'alias', aliasName: ref.name };
}
