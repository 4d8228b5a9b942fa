/**
 * One canonical identity for a KMS key (a KEK), whatever form names it: a key ARN, a bare
 * key id, an alias name or an alias ARN, in any partition, multi-Region keys (`mrk-`)
 * included. Every part of keyscope that reads a key reference parses it here, so that
 * `arn:aws:kms:us-east-1:111122223333:key/1234abcd-...` written by CloudTrail, the same
 * key id written by an application and the engine's own ARNs meet on one string.
 *
 * What was written is always kept beside the canonical form: an alias can point at
 * another key tomorrow, and a bare id names a key only together with an account and Region.
 */

/** Key ids are UUIDs, or `mrk-` and 32 hex digits for multi-Region keys. */
const KEY_ID = '(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})';
/** KMS alias names: `alias/` then letters, digits, `/_-`, at most 256 characters in all. */
const ALIAS_NAME = 'alias/[a-zA-Z0-9/_-]{1,250}';
const PARTITION = 'aws(?:-[a-z]{1,16}){0,2}';
const REGION = '[a-z]{2,4}(?:-[a-z]+){1,3}-\\d{1,2}';
const ACCOUNT = '\\d{12}';

const BARE_KEY_ID = new RegExp(`^${KEY_ID}$`);
const BARE_ALIAS = new RegExp(`^${ALIAS_NAME}$`);
const KMS_ARN = new RegExp(`^arn:(${PARTITION}):kms:(${REGION}):(${ACCOUNT}):(?:key/(${KEY_ID})|(${ALIAS_NAME}))$`);
const REGION_ONLY = new RegExp(`^${REGION}$`);
const ACCOUNT_ONLY = new RegExp(`^${ACCOUNT}$`);

export type KekRef = {
  kind: 'key' | 'alias';
  /** The key id (lower-case hex, `mrk-` kept) for a key; the alias name (`alias/...`) for an alias. */
  name: string;
  /** Where the reference says: from the ARN, else null (a bare id or alias name says neither). */
  partition: string | null;
  region: string | null;
  accountId: string | null;
  /** A multi-Region key: the same id in every Region it is replicated to. */
  multiRegion: boolean;
  /** As written. */
  written: string;
};

/** Where a bare key id or alias name is resolved: the call's account and Region. */
export type KekScope = { region: string | null; accountId: string | null };

/** What a key reference names, or null when it is none of the four KMS forms. */
export function parseKekRef(value: string): KekRef | null {
  const arn = KMS_ARN.exec(value);
  if (arn) {
    const [, partition, region, accountId, keyId, alias] = arn;
    const name = keyId === undefined ? alias! : keyId.toLowerCase();
    return { kind: keyId === undefined ? 'alias' : 'key', name, partition: partition!, region: region!, accountId: accountId!, multiRegion: name.startsWith('mrk-'), written: value };
  }
  if (BARE_KEY_ID.test(value)) {
    const name = value.toLowerCase();
    return { kind: 'key', name, partition: null, region: null, accountId: null, multiRegion: name.startsWith('mrk-'), written: value };
  }
  if (BARE_ALIAS.test(value)) return { kind: 'alias', name: value, partition: null, region: null, accountId: null, multiRegion: false, written: value };
  return null;
}

/** The partition a Region belongs to, for building an ARN; null where the Region's form is not one we know. */
export function partitionOf(region: string): string | null {
  if (!REGION_ONLY.test(region)) return null;
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

/** `arn:<partition>:kms:<region>:<account>:key/<id>`, or null when the Region or account is not one. */
export function keyArnOf(region: string, accountId: string, keyId: string): string | null {
  const partition = partitionOf(region);
  if (partition === null || !ACCOUNT_ONLY.test(accountId) || !BARE_KEY_ID.test(keyId)) return null;
  return `arn:${partition}:kms:${region}:${accountId}:key/${keyId.toLowerCase()}`;
}

/**
 * The canonical key ARN a reference names within a scope, or null where it cannot be
 * known: an alias (it may point elsewhere tomorrow), or a bare id without account and
 * Region. An ARN is rebuilt from its parts, so case and partition are canonical.
 */
export function canonicalKeyArn(ref: KekRef, scope: KekScope = { region: null, accountId: null }): string | null {
  if (ref.kind !== 'key') return null;
  const region = ref.region ?? scope.region;
  const accountId = ref.accountId ?? scope.accountId;
  if (region === null || accountId === null) return null;
  if (ref.partition !== null) return `arn:${ref.partition}:kms:${region}:${accountId}:key/${ref.name}`;
  return keyArnOf(region, accountId, ref.name);
}

/** canonicalKeyArn of a string as written; null where it is not a key reference. */
export function canonicalKeyArnOf(value: string, scope?: KekScope): string | null {
  const ref = parseKekRef(value);
  return ref === null ? null : canonicalKeyArn(ref, scope);
}

/** A short label for a key in a table: the key id (or alias name), else what was written. */
export function kekLabel(value: string): string {
  return parseKekRef(value)?.name ?? value;
}
