import type { KeyState, KeyStateName } from '../model/key-state';
import { floorToMinute, normalizeKeyState } from '../model/key-state-merge';
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
  /** When KMS reported createdAtMs (a refresh); null while only events gave it. */
  createdKmsMs: number | null;
  lastRotatedMs: number | null;
  policyUpdatedMs: number | null;
  firstUsedMs: number | null;
  lastUsedMs: number | null;
  primaryKeyArn: Fact<string> | null;
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
    createdAtMs: null, createdKmsMs: null, lastRotatedMs: null, policyUpdatedMs: null, firstUsedMs: null, lastUsedMs: null, primaryKeyArn: null,
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

/** A data-plane use at the resolution it is stored at: a busy key changes once a minute, not every batch. */
export const useTime = floorToMinute;

/** The stored form (canonical, lib/model/key-state-merge.ts). `aliases` are the alias names that point here now (the inventory's alias registry decides). */
export function toKeyState(f: KeyFacts, aliases: readonly string[]): KeyState {
  const holding = new Set(aliases);
  return normalizeKeyState({
    keyArn: f.keyArn,
    keyId: f.keyId,
    accountId: f.accountId,
    region: f.region,
    aliases: [...holding].filter((a) => f.aliasTouches.has(a)),
    state: f.state?.value.state ?? 'Unknown',
    rotationEnabled: f.rotation?.value.enabled ?? null,
    rotationPeriodDays: f.rotation?.value.periodDays ?? null,
    lastRotatedAt: iso(f.lastRotatedMs),
    currentVersion: f.currentVersion?.value ?? null,
    versions: [...f.versions.keys()],
    createdAt: iso(f.createdAtMs),
    deletionDate: f.state?.value.deletionDate ?? null,
    firstUsedAt: iso(f.firstUsedMs),
    lastUsedAt: iso(f.lastUsedMs),
    policyUpdatedAt: iso(f.policyUpdatedMs),
    primaryKeyArn: f.primaryKeyArn?.value ?? null,
    asOf: {
      state: isoOf(f.state),
      rotation: isoOf(f.rotation),
      currentVersion: isoOf(f.currentVersion),
      versions: Object.fromEntries([...f.versions].map(([id, ms]) => [id, new Date(ms).toISOString()])),
      aliases: Object.fromEntries([...f.aliasTouches].map(([a, ms]) => [a, new Date(ms).toISOString()])),
      createdAt: f.createdAtMs === null ? null : iso(f.createdKmsMs),
      primaryKeyArn: isoOf(f.primaryKeyArn),
    },
    updatedAt: new Date(f.updatedMs).toISOString(),
  });
}

/**
 * A stored state back into facts, to continue from after a restart. A state written
 * without `asOf` (before the inventory tracked it) counts as known at its updatedAt.
 */
export function fromKeyState(stored: KeyState): KeyFacts {
  const k = normalizeKeyState(stored);
  const a = k.asOf!;
  const ms = (t: string | null | undefined): number | null => (t ? Date.parse(t) : null);
  const f = emptyFacts(k.keyArn);
  f.keyId = k.keyId;
  f.accountId = k.accountId;
  f.region = k.region;
  if (a.state) f.state = { value: { state: k.state, deletionDate: k.deletionDate }, atMs: Date.parse(a.state), tie: '' };
  if (k.rotationEnabled !== null && a.rotation) f.rotation = { value: { enabled: k.rotationEnabled, periodDays: k.rotationPeriodDays }, atMs: Date.parse(a.rotation), tie: '' };
  if (k.currentVersion !== null && a.currentVersion) f.currentVersion = { value: k.currentVersion, atMs: Date.parse(a.currentVersion), tie: '' };
  if (k.primaryKeyArn && a.primaryKeyArn) f.primaryKeyArn = { value: k.primaryKeyArn, atMs: Date.parse(a.primaryKeyArn), tie: '' };
  for (const v of k.versions) f.versions.set(v, Date.parse(a.versions[v]!));
  for (const [name, t] of Object.entries(a.aliases)) f.aliasTouches.set(name, Date.parse(t));
  f.createdAtMs = ms(k.createdAt);
  f.createdKmsMs = ms(a.createdAt);
  f.lastRotatedMs = ms(k.lastRotatedAt);
  f.policyUpdatedMs = ms(k.policyUpdatedAt);
  f.firstUsedMs = ms(k.firstUsedAt);
  f.lastUsedMs = ms(k.lastUsedAt);
  f.updatedMs = Date.parse(k.updatedAt);
  return f;
}
