import type { KeyState, KeyStateName } from './key-state';

/*
 * The one merge of key states, fact by fact: what the store does inside each write, so
 * that several writers (serve, refresh-keys, import) never lose each other's facts. It is
 * commutative, associative and idempotent (a join), so any order of any set of partial
 * states merges to the same state.
 *
 *   state + deletionDate, rotation + period, currentVersion, primaryKeyArn: the newer fact wins
 *   aliases: per alias name, the newer touch (pointed here / stopped pointing here) wins
 *   createdAt: the latest KMS reading wins; without one, the earliest event
 *   versions: union, each with its earliest sighting
 *   firstUsedAt: earliest; lastUsedAt (minute resolution), lastRotatedAt, policyUpdatedAt, updatedAt: latest
 *
 * Ties (the same time, different values) go to the greater value as JSON, so the result
 * does not depend on the order. A state without `asOf` (written before it existed) counts
 * each of its facts as known at its updatedAt.
 */

type Reg<T> = { value: T; atMs: number } | null;
type Alias = { atMs: number; holding: boolean };

type Parts = {
  keyArn: string;
  keyId: string;
  accountId: string | null;
  region: string | null;
  state: Reg<{ state: KeyStateName; deletionDate: number | null }>;
  rotation: Reg<{ enabled: boolean; periodDays: number | null }>;
  currentVersion: Reg<string>;
  primaryKeyArn: Reg<string>;
  created: { ms: number; kmsAtMs: number | null } | null;
  versions: Map<string, number>;
  aliases: Map<string, Alias>;
  lastRotatedMs: number | null;
  policyUpdatedMs: number | null;
  firstUsedMs: number | null;
  lastUsedMs: number | null;
  updatedMs: number;
};

const MINUTE_MS = 60_000;
export const floorToMinute = (ms: number): number => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

const ms = (t: string | null | undefined): number | null => (t ? Date.parse(t) : null);
const iso = (v: number | null): string | null => (v === null ? null : new Date(v).toISOString());

function toParts(k: KeyState): Parts {
  const updatedMs = Date.parse(k.updatedAt);
  const at = (t: string | null | undefined): number => ms(t) ?? updatedMs;
  const a = k.asOf;
  const versions = new Map<string, number>();
  k.versions.forEach((v, i) => versions.set(v, Math.min(versions.get(v) ?? Infinity, a?.versions[v] !== undefined ? Date.parse(a.versions[v]) : updatedMs - (k.versions.length - i))));
  const aliases = new Map<string, Alias>();
  for (const [name, t] of Object.entries(a?.aliases ?? {})) aliases.set(name, { atMs: Date.parse(t), holding: false });
  for (const name of k.aliases) aliases.set(name, { atMs: at(a?.aliases[name]), holding: true });
  const createdMs = ms(k.createdAt);
  const lastUsedMs = ms(k.lastUsedAt);
  return {
    keyArn: k.keyArn,
    keyId: k.keyId,
    accountId: k.accountId,
    region: k.region,
    state: k.state !== 'Unknown' || a?.state ? { value: { state: k.state, deletionDate: ms(k.deletionDate) }, atMs: at(a?.state) } : null,
    rotation: k.rotationEnabled !== null ? { value: { enabled: k.rotationEnabled, periodDays: k.rotationPeriodDays }, atMs: at(a?.rotation) } : null,
    currentVersion: k.currentVersion !== null ? { value: k.currentVersion, atMs: at(a?.currentVersion) } : null,
    primaryKeyArn: k.primaryKeyArn ? { value: k.primaryKeyArn, atMs: at(a?.primaryKeyArn) } : null,
    created: createdMs === null ? null : { ms: createdMs, kmsAtMs: ms(a?.createdAt) },
    versions,
    aliases,
    lastRotatedMs: ms(k.lastRotatedAt),
    policyUpdatedMs: ms(k.policyUpdatedAt),
    firstUsedMs: ms(k.firstUsedAt),
    lastUsedMs: lastUsedMs === null ? null : floorToMinute(lastUsedMs),
    updatedMs,
  };
}

/** The canonical stored form: every field present, in one order, times as toISOString, lists sorted. */
function fromParts(p: Parts): KeyState {
  const versions = [...p.versions].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  const aliases = [...p.aliases].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return {
    keyArn: p.keyArn,
    keyId: p.keyId,
    accountId: p.accountId,
    region: p.region,
    aliases: aliases.filter(([, x]) => x.holding).map(([name]) => name),
    state: p.state?.value.state ?? 'Unknown',
    rotationEnabled: p.rotation?.value.enabled ?? null,
    rotationPeriodDays: p.rotation?.value.periodDays ?? null,
    lastRotatedAt: iso(p.lastRotatedMs),
    currentVersion: p.currentVersion?.value ?? null,
    versions: versions.map(([id]) => id),
    createdAt: iso(p.created?.ms ?? null),
    deletionDate: iso(p.state?.value.deletionDate ?? null),
    firstUsedAt: iso(p.firstUsedMs),
    lastUsedAt: iso(p.lastUsedMs),
    policyUpdatedAt: iso(p.policyUpdatedMs),
    primaryKeyArn: p.primaryKeyArn?.value ?? null,
    asOf: {
      state: iso(p.state?.atMs ?? null),
      rotation: iso(p.rotation?.atMs ?? null),
      currentVersion: iso(p.currentVersion?.atMs ?? null),
      versions: Object.fromEntries(versions.map(([id, t]) => [id, iso(t)!])),
      aliases: Object.fromEntries(aliases.map(([name, x]) => [name, iso(x.atMs)!])),
      createdAt: iso(p.created?.kmsAtMs ?? null),
      primaryKeyArn: iso(p.primaryKeyArn?.atMs ?? null),
    },
    updatedAt: iso(p.updatedMs)!,
  };
}

function newer<T>(a: Reg<T>, b: Reg<T>): Reg<T> {
  if (a === null) return b;
  if (b === null || a.atMs > b.atMs) return a;
  if (b.atMs > a.atMs) return b;
  return JSON.stringify(a.value) >= JSON.stringify(b.value) ? a : b;
}

const min = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
const max = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));
/** A value beats null; of two, the smaller (they agree in practice: both come from the ARN or KMS). */
const known = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a < b ? a : b);

function mergeParts(a: Parts, b: Parts): Parts {
  if (a.keyArn !== b.keyArn) throw new Error(`cannot merge the states of two keys: ${a.keyArn} and ${b.keyArn}`);
  const versions = new Map(a.versions);
  for (const [v, t] of b.versions) versions.set(v, Math.min(versions.get(v) ?? Infinity, t));
  const aliases = new Map(a.aliases);
  for (const [name, x] of b.aliases) {
    const y = aliases.get(name);
    if (y === undefined || x.atMs > y.atMs || (x.atMs === y.atMs && x.holding)) aliases.set(name, x);
  }
  // A key id that is not the ARN itself (the fallback for an unparsed ARN) is the better one.
  const realId = (k: string) => (k === a.keyArn ? 1 : 0);
  return {
    keyArn: a.keyArn,
    keyId: realId(a.keyId) !== realId(b.keyId) ? (realId(a.keyId) < realId(b.keyId) ? a.keyId : b.keyId) : known(a.keyId, b.keyId)!,
    accountId: known(a.accountId, b.accountId),
    region: known(a.region, b.region),
    state: newer(a.state, b.state),
    rotation: newer(a.rotation, b.rotation),
    currentVersion: newer(a.currentVersion, b.currentVersion),
    primaryKeyArn: newer(a.primaryKeyArn, b.primaryKeyArn),
    created: mergeCreated(a.created, b.created),
    versions,
    aliases,
    lastRotatedMs: max(a.lastRotatedMs, b.lastRotatedMs),
    policyUpdatedMs: max(a.policyUpdatedMs, b.policyUpdatedMs),
    firstUsedMs: min(a.firstUsedMs, b.firstUsedMs),
    lastUsedMs: max(a.lastUsedMs, b.lastUsedMs),
    updatedMs: Math.max(a.updatedMs, b.updatedMs),
  };
}

/** KMS's creation date (its latest reading) beats a guess from events; of guesses, the earliest. */
function mergeCreated(a: Parts['created'], b: Parts['created']): Parts['created'] {
  if (a === null) return b;
  if (b === null) return a;
  const ka = a.kmsAtMs ?? -Infinity;
  const kb = b.kmsAtMs ?? -Infinity;
  if (ka !== kb) return ka > kb ? a : b;
  return a.ms <= b.ms ? a : b;
}

/** The canonical form of one state (what merging it with itself gives). */
export function normalizeKeyState(k: KeyState): KeyState {
  return fromParts(toParts(k));
}

/** The state holding every fact of both, each at its newest (see the rules above). Both must be of one key. */
export function mergeKeyStates(a: KeyState, b: KeyState): KeyState {
  return fromParts(mergeParts(toParts(a), toParts(b)));
}

/** Merges any number of states of one key (at least one). */
export function mergeAllKeyStates(states: readonly KeyState[]): KeyState {
  if (states.length === 0) throw new Error('mergeAllKeyStates needs at least one state');
  return fromParts(states.map(toParts).reduce(mergeParts));
}

/** Whether two states hold the same facts (a write that would change nothing is skipped). */
export function sameKeyState(a: KeyState, b: KeyState): boolean {
  return JSON.stringify(normalizeKeyState(a)) === JSON.stringify(normalizeKeyState(b));
}
