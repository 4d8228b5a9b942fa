import type { AuditEvent } from '../model/audit-event';
import type { KeyState, KeyStateName } from '../model/key-state';
import { emptyFacts, fromKeyState, isNewer, maxMs, minMs, toKeyState, type Fact, type KeyFacts } from './key-facts';
import { applyManagementEvent, applyUse } from './apply-event';

/** What a refresh from KMS read for one account and Region (ListKeys, DescribeKey, GetKeyRotationStatus, ListAliases). */
export type KmsKeySnapshot = {
  keyArn: string;
  keyId: string;
  /** null where DescribeKey was not allowed. */
  state: KeyStateName | null;
  deletionDate: string | null;
  createdAt: string | null;
  /** null where GetKeyRotationStatus was not allowed or does not apply (asymmetric keys). */
  rotationEnabled: boolean | null;
  rotationPeriodDays: number | null;
  currentVersion: string | null;
  primaryKeyArn: string | null;
};
export type KmsSnapshot = {
  accountId: string;
  region: string;
  /** When the listing was taken: the facts' time. */
  readAt: string;
  keys: KmsKeySnapshot[];
  aliases: Array<{ aliasName: string; keyArn: string }>;
};

/** Aliases are per account and Region. */
const aliasSlot = (accountId: string | null, region: string | null, aliasName: string) => `${accountId ?? ''}/${region ?? ''}/${aliasName}`;

/**
 * The key inventory (KeyState per KEK), built from audit events as they stream in, in any
 * order: every part of a key's state is a fact with a time, and a fact replaces another
 * only when newer (CloudTrail delivers late, a backfill reads files concurrently, a
 * restart starts from the stored states). Pure and in memory: the ingest pipeline feeds
 * it each batch and writes the states it changed in the same store write.
 */
export class KeyInventory {
  private readonly keys = new Map<string, KeyFacts>();
  /** Account/Region/alias name → the key it points to (null: deleted), as of when. */
  private readonly aliases = new Map<string, Fact<string | null>>();

  /** Continues from stored states (Store.keyStates()). */
  static fromKeyStates(states: readonly KeyState[]): KeyInventory {
    const inv = new KeyInventory();
    for (const s of states) inv.keys.set(s.keyArn, fromKeyState(s));
    // Rebuild the alias registry: for each alias the latest touch wins; a key holding it beats one that lost it at the same time.
    for (const s of states) {
      const f = inv.keys.get(s.keyArn)!;
      const holding = new Set(s.aliases);
      for (const [name, ms] of f.aliasTouches) {
        const slot = aliasSlot(f.accountId, f.region, name);
        const tie = holding.has(name) ? '1' : '0';
        if (isNewer(inv.aliases.get(slot) ?? null, ms, tie)) inv.aliases.set(slot, { value: holding.has(name) ? s.keyArn : null, atMs: ms, tie });
      }
    }
    return inv;
  }

  get size(): number {
    return this.keys.size;
  }

  /** Applies events; returns the ARNs of the keys whose state changed. */
  applyEvents(events: readonly AuditEvent[]): Set<string> {
    const changed = new Set<string>();
    for (const e of events) this.applyEvent(e, changed);
    return changed;
  }

  private applyEvent(e: AuditEvent, changed: Set<string>): void {
    if (e.outcome !== 'success') return;
    const atMs = Date.parse(e.time);
    if (!e.management) {
      if (e.keyArn !== null && applyUse(this.facts(e.keyArn), atMs, e.eventName, e.keyMaterialId, e.id)) changed.add(e.keyArn);
      const src = e.reEncryptSource;
      if (src?.keyArn && applyUse(this.facts(src.keyArn), atMs, 'ReEncryptFrom', src.keyMaterialId, e.id)) changed.add(src.keyArn);
      return;
    }
    applyManagementEvent(e, atMs, {
      facts: (arn) => this.facts(arn),
      setAlias: (keyArn, aliasName, target) => this.setAlias(keyArn, aliasName, target, atMs, e.id, changed),
      changed,
    });
  }

  /**
   * Points an alias at `target` (null: deleted) as of atMs; `keyArn` is the key the event
   * named. Every key involved records when the alias last changed to or away from it (a
   * removed alias stays as a tombstone, so a late older CreateAlias cannot revive it
   * after a restart); a stale event learns that time from the newer fact it lost to, so
   * the record is the same in any order.
   */
  private setAlias(keyArn: string, aliasName: string, target: string | null, atMs: number, tie: string, changed: Set<string>): void {
    const named = this.facts(keyArn);
    const slot = aliasSlot(named.accountId, named.region, aliasName);
    const current = this.aliases.get(slot) ?? null;
    const wins = isNewer(current, atMs, tie);
    const touch = (arn: string, ms: number): void => {
      const f = this.facts(arn);
      f.aliasTouches.set(aliasName, maxMs(f.aliasTouches.get(aliasName) ?? null, ms));
      f.updatedMs = Math.max(f.updatedMs, ms);
      changed.add(arn);
    };
    for (const arn of new Set([keyArn, target])) {
      if (arn === null) continue;
      touch(arn, wins || current!.value === arn ? atMs : Math.max(atMs, current!.atMs));
    }
    if (!wins) return;
    // The key it leaves keeps a tombstone as of now.
    if (current?.value && current.value !== target) touch(current.value, atMs);
    this.aliases.set(slot, { value: target, atMs, tie });
  }

  /** Applies a refresh from KMS: the listing is the truth as of readAt, including which keys and aliases no longer exist. */
  applySnapshot(s: KmsSnapshot): Set<string> {
    const atMs = Date.parse(s.readAt);
    const tie = `kms:${s.readAt}`;
    const changed = new Set<string>();
    const listed = new Set(s.keys.map((k) => k.keyArn));
    for (const k of s.keys) {
      const f = this.facts(k.keyArn);
      f.accountId = s.accountId;
      f.region = s.region;
      if (k.state !== null && isNewer(f.state, atMs, tie)) f.state = { value: { state: k.state, deletionDate: k.deletionDate }, atMs, tie };
      if (k.rotationEnabled !== null && isNewer(f.rotation, atMs, tie)) {
        f.rotation = { value: { enabled: k.rotationEnabled, periodDays: k.rotationEnabled ? k.rotationPeriodDays : null }, atMs, tie };
      }
      if (k.currentVersion !== null) {
        if (isNewer(f.currentVersion, atMs, tie)) f.currentVersion = { value: k.currentVersion, atMs, tie };
        f.versions.set(k.currentVersion, minMs(f.versions.get(k.currentVersion) ?? null, atMs));
      }
      // KMS's creation date is the truth; a guess from events cannot be (the merge's rule too).
      if (k.createdAt !== null && (f.createdKmsMs === null || atMs >= f.createdKmsMs)) {
        f.createdAtMs = f.createdKmsMs === atMs ? Math.min(f.createdAtMs!, Date.parse(k.createdAt)) : Date.parse(k.createdAt);
        f.createdKmsMs = atMs;
      }
      if (k.primaryKeyArn !== null && isNewer(f.primaryKeyArn, atMs, tie)) f.primaryKeyArn = { value: k.primaryKeyArn, atMs, tie };
      f.updatedMs = Math.max(f.updatedMs, atMs);
      changed.add(k.keyArn);
    }
    for (const f of this.keys.values()) {
      if (f.accountId !== s.accountId || f.region !== s.region || listed.has(f.keyArn)) continue;
      if (isNewer(f.state, atMs, tie)) {
        f.state = { value: { state: 'Deleted', deletionDate: f.state?.value.deletionDate ?? null }, atMs, tie };
        f.updatedMs = Math.max(f.updatedMs, atMs);
        changed.add(f.keyArn);
      }
    }
    const seen = new Set<string>();
    for (const a of s.aliases) {
      if (!listed.has(a.keyArn)) continue;
      seen.add(a.aliasName);
      this.setAlias(a.keyArn, a.aliasName, a.keyArn, atMs, tie, changed);
    }
    // Aliases of this account and Region that KMS no longer lists are gone.
    const prefix = aliasSlot(s.accountId, s.region, '');
    for (const [slot, fact] of [...this.aliases]) {
      if (!slot.startsWith(prefix) || fact.value === null) continue;
      const name = slot.slice(prefix.length);
      if (!seen.has(name)) this.setAlias(fact.value, name, null, atMs, tie, changed);
    }
    return changed;
  }

  /** The key's state now; undefined for a key never seen. */
  keyState(keyArn: string): KeyState | undefined {
    const f = this.keys.get(keyArn);
    return f === undefined ? undefined : toKeyState(f, this.aliasesOf(f));
  }

  /** States of the given keys (default: all), sorted by ARN. */
  keyStates(keyArns?: Iterable<string>): KeyState[] {
    const arns = keyArns === undefined ? [...this.keys.keys()] : [...keyArns].filter((a) => this.keys.has(a));
    return arns.sort().map((a) => this.keyState(a)!);
  }

  private aliasesOf(f: KeyFacts): string[] {
    const out: string[] = [];
    for (const name of f.aliasTouches.keys()) {
      if (this.aliases.get(aliasSlot(f.accountId, f.region, name))?.value === f.keyArn) out.push(name);
    }
    return out;
  }

  private facts(keyArn: string): KeyFacts {
    let f = this.keys.get(keyArn);
    if (f === undefined) {
      f = emptyFacts(keyArn);
      this.keys.set(keyArn, f);
    }
    return f;
  }
}

/** The inventory that a set of events gives, in any order: the pure reducer. */
export function reduceKeyInventory(events: readonly AuditEvent[], from: readonly KeyState[] = []): KeyState[] {
  const inv = KeyInventory.fromKeyStates(from);
  inv.applyEvents(events);
  return inv.keyStates();
}
