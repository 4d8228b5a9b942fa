import type { KeyState, KeyStateName } from '../model/key-state';
import { parseKekRef } from '../model/kek-ref';

/**
 * The key inventory's working state for one key: every part with the time of the fact
 * that set it, so that facts merge in any order (the newer wins; min/max/union for the
 * rest). `tie` orders two facts of the same second (the event id), deterministically.
 */
export type Fact<T> = { value: T; atMs: number; tie: string };

export type KeyFacts = {
  keyArn: string;
  keyId: string;
  accountId: string | null;
  region: string | null;
  state: Fact<{ state: KeyStateName; deletionDate: string | null }> | null;
  rotation: Fact<{ enabled: boolean; periodDays: number | null }> | null;
  currentVersion: Fact<string> | null;
  /** Key material id → first seen (ms). */
  versions: Map<string, number>;
  /** Alias name → the last time it was set to or away from this key (ms). */
  aliasTouches: Map<string, number>;
  createdAtMs: number | null;
  lastRotatedMs: number | null;
  policyUpdatedMs: number | null;
  firstUsedMs: number | null;
  lastUsedMs: number | null;
  primaryKeyArn: string | null;
  updatedMs: number;
};

export function parseKeyArnParts(arn: string): { region: string; accountId: string; keyId: string } | null {
  const ref = parseKekRef(arn);
  if (ref === null || ref.kind !== 'key' || ref.region === null || ref.accountId === null) return null;
  return { region: ref.region, accountId: ref.accountId, keyId: ref.name };
}

export function emptyFacts(keyArn: string): KeyFacts {
  const parts = parseKeyArnParts(keyArn);
  return {
    keyArn, keyId: parts?.keyId ?? keyArn, accountId: parts?.accountId ?? null, region: parts?.region ?? null,
    state: null, rotation: null, currentVersion: null, versions: new Map(), aliasTouches: new Map(),
    createdAtMs: null, lastRotatedMs: null, policyUpdatedMs: null, firstUsedMs: null, lastUsedMs: null, primaryKeyArn: null,
    updatedMs: 0,
  };
}

/** Whether a fact at (atMs, tie) replaces `current`. */
export function isNewer(current: { atMs: number; tie: string } | null, atMs: number, tie: string): boolean {
  return current === null || atMs > current.atMs || (atMs === current.atMs && tie > current.tie);
}

export const minMs = (a: number | null, b: number): number => (a === null ? b : Math.min(a, b));
export const maxMs = (a: number | null, b: number): number => (a === null ? b : Math.max(a, b));

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const isoOf = (f: Fact<unknown> | null): string | null => (f === null ? null : new Date(f.atMs).toISOString());

/** The stored form. `aliases` are the alias names that point here now (the inventory's alias registry decides). */
export function toKeyState(f: KeyFacts, aliases: readonly string[]): KeyState {
  const versions = [...f.versions].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  return {
    keyArn: f.keyArn,
    keyId: f.keyId,
    accountId: f.accountId,
    region: f.region,
    aliases: [...aliases].sort(),
    state: f.state?.value.state ?? 'Unknown',
    rotationEnabled: f.rotation?.value.enabled ?? null,
    rotationPeriodDays: f.rotation?.value.periodDays ?? null,
    lastRotatedAt: iso(f.lastRotatedMs),
    currentVersion: f.currentVersion?.value ?? null,
    versions: versions.map(([id]) => id),
    createdAt: iso(f.createdAtMs),
    deletionDate: f.state?.value.deletionDate ?? null,
    firstUsedAt: iso(f.firstUsedMs),
    lastUsedAt: iso(f.lastUsedMs),
    policyUpdatedAt: iso(f.policyUpdatedMs),
    primaryKeyArn: f.primaryKeyArn,
    asOf: {
      state: isoOf(f.state),
      rotation: isoOf(f.rotation),
      currentVersion: isoOf(f.currentVersion),
      versions: Object.fromEntries(versions.map(([id, ms]) => [id, new Date(ms).toISOString()])),
      aliases: Object.fromEntries([...f.aliasTouches].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([a, ms]) => [a, new Date(ms).toISOString()])),
    },
    updatedAt: new Date(f.updatedMs).toISOString(),
  };
}

/**
 * A stored state back into facts, to continue from after a restart. A state written
 * without `asOf` (before the inventory tracked it) counts as known at its updatedAt.
 */
export function fromKeyState(k: KeyState): KeyFacts {
  const updatedMs = Date.parse(k.updatedAt);
  const at = (t: string | null | undefined): number => (t ? Date.parse(t) : updatedMs);
  const f = emptyFacts(k.keyArn);
  f.keyId = k.keyId;
  f.accountId = k.accountId;
  f.region = k.region;
  if (k.state !== 'Unknown' || k.asOf?.state) f.state = { value: { state: k.state, deletionDate: k.deletionDate }, atMs: at(k.asOf?.state), tie: '' };
  if (k.rotationEnabled !== null) f.rotation = { value: { enabled: k.rotationEnabled, periodDays: k.rotationPeriodDays }, atMs: at(k.asOf?.rotation), tie: '' };
  if (k.currentVersion !== null) f.currentVersion = { value: k.currentVersion, atMs: at(k.asOf?.currentVersion), tie: '' };
  k.versions.forEach((v, i) => f.versions.set(v, k.asOf?.versions[v] !== undefined ? Date.parse(k.asOf.versions[v]) : updatedMs - (k.versions.length - i)));
  for (const a of k.aliases) f.aliasTouches.set(a, at(k.asOf?.aliases[a]));
  for (const [a, t] of Object.entries(k.asOf?.aliases ?? {})) if (!f.aliasTouches.has(a)) f.aliasTouches.set(a, Date.parse(t));
  const ms = (t: string | null | undefined): number | null => (t ? Date.parse(t) : null);
  f.createdAtMs = ms(k.createdAt);
  f.lastRotatedMs = ms(k.lastRotatedAt);
  f.policyUpdatedMs = ms(k.policyUpdatedAt);
  f.firstUsedMs = ms(k.firstUsedAt);
  f.lastUsedMs = ms(k.lastUsedAt);
  f.primaryKeyArn = k.primaryKeyArn ?? null;
  f.updatedMs = updatedMs;
  return f;
}
