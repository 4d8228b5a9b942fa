import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KEY_STATES, KeyStateSchema, type KeyState } from '../../lib/model/key-state';
import { mergeAllKeyStates, mergeKeyStates, normalizeKeyState, sameKeyState } from '../../lib/model/key-state-merge';

const ACCT = '111122223333';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCT}:key/${KEY_ID}`;
const T0 = Date.UTC(2026, 2, 1, 10, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

// Few distinct times and values, so that ties and overwrites are frequent.
const time = fc.integer({ min: 0, max: 12 }).map((i) => iso(T0 + i * 30_000));
const useTime = fc.integer({ min: 0, max: 400_000 }).map((ms) => iso(T0 + ms));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const version = fc.constantFrom('v1', 'v2', 'v3');

/** Any partial state of one key a writer could hold, with or without asOf (written before it existed). */
const keyState: fc.Arbitrary<KeyState> = fc
  .record({
    legacy: fc.boolean(),
    keyId: fc.constantFrom(KEY_ID, KEY_ARN),
    accountId: maybe(fc.constant(ACCT)),
    region: maybe(fc.constant('us-east-1')),
    state: fc.constantFrom(...KEY_STATES),
    stateAt: maybe(time),
    deletionDate: maybe(time),
    rotation: maybe(fc.record({ enabled: fc.boolean(), period: maybe(fc.constantFrom(90, 365)) })),
    rotationAt: maybe(time),
    currentVersion: maybe(version),
    currentAt: maybe(time),
    versions: fc.dictionary(version, time),
    aliases: fc.dictionary(fc.constantFrom('alias/a', 'alias/b', 'alias/c'), fc.record({ at: time, holding: fc.boolean() })),
    createdAt: maybe(time),
    createdKmsAt: maybe(time),
    primary: maybe(fc.constantFrom(`arn:aws:kms:eu-west-1:${ACCT}:key/mrk-1`, `arn:aws:kms:eu-west-2:${ACCT}:key/mrk-1`)),
    primaryAt: maybe(time),
    lastRotatedAt: maybe(time),
    policyUpdatedAt: maybe(time),
    firstUsedAt: maybe(useTime),
    lastUsedAt: maybe(useTime),
    updatedAt: time,
  })
  .map((r): KeyState => {
    const versions = Object.keys(r.versions);
    const s: KeyState = {
      keyArn: KEY_ARN, keyId: r.keyId, accountId: r.accountId, region: r.region,
      aliases: Object.entries(r.aliases).filter(([, a]) => a.holding).map(([n]) => n),
      state: r.state, rotationEnabled: r.rotation?.enabled ?? null, rotationPeriodDays: r.rotation?.period ?? null,
      lastRotatedAt: r.lastRotatedAt, currentVersion: r.currentVersion, versions, createdAt: r.createdAt,
      deletionDate: r.deletionDate, firstUsedAt: r.firstUsedAt, lastUsedAt: r.lastUsedAt, policyUpdatedAt: r.policyUpdatedAt,
      primaryKeyArn: r.primary, updatedAt: r.updatedAt,
    };
    if (!r.legacy) {
      s.asOf = {
        state: r.stateAt, rotation: r.rotationAt, currentVersion: r.currentAt, versions: r.versions,
        aliases: Object.fromEntries(Object.entries(r.aliases).map(([n, a]) => [n, a.at])), createdAt: r.createdKmsAt, primaryKeyArn: r.primaryAt,
      };
    }
    return KeyStateSchema.parse(s);
  });

const json = (k: KeyState) => JSON.stringify(k);
const RUNS = { numRuns: 400 };

describe('mergeKeyStates: a join of partial key states', () => {
  it('is commutative', () => {
    fc.assert(fc.property(keyState, keyState, (a, b) => json(mergeKeyStates(a, b)) === json(mergeKeyStates(b, a))), RUNS);
  });

  it('is associative', () => {
    fc.assert(fc.property(keyState, keyState, keyState, (a, b, c) =>
      json(mergeKeyStates(mergeKeyStates(a, b), c)) === json(mergeKeyStates(a, mergeKeyStates(b, c)))), RUNS);
  });

  it('is idempotent, and merging a state again changes nothing (a replayed write is a duplicate)', () => {
    fc.assert(fc.property(keyState, keyState, (a, b) => {
      expect(json(mergeKeyStates(a, a))).toBe(json(normalizeKeyState(a)));
      expect(json(normalizeKeyState(normalizeKeyState(a)))).toBe(json(normalizeKeyState(a)));
      const ab = mergeKeyStates(a, b);
      expect(json(mergeKeyStates(ab, b))).toBe(json(ab));
      expect(json(mergeKeyStates(ab, a))).toBe(json(ab));
    }), RUNS);
  });

  it('any order of any set of partial states merges to the same valid state, which keeps every version and alias seen', () => {
    const sets = fc.array(keyState, { minLength: 1, maxLength: 6 }).chain((xs) =>
      fc.tuple(fc.constant(xs), fc.shuffledSubarray(xs, { minLength: xs.length, maxLength: xs.length })));
    fc.assert(fc.property(sets, ([xs, shuffled]) => {
      const merged = mergeAllKeyStates(xs);
      expect(json(mergeAllKeyStates(shuffled))).toBe(json(merged));
      // Folding one at a time onto a stored state (what the store does per write) gives the same.
      expect(json(shuffled.slice(1).reduce((acc, x) => mergeKeyStates(acc, x), normalizeKeyState(shuffled[0]!)))).toBe(json(merged));
      KeyStateSchema.parse(merged);
      for (const x of xs) {
        for (const v of x.versions) expect(merged.versions).toContain(v);
        for (const a of [...x.aliases, ...Object.keys(x.asOf?.aliases ?? {})]) expect(Object.keys(merged.asOf!.aliases)).toContain(a);
      }
      const lastUses = xs.flatMap((x) => (x.lastUsedAt ? [Math.floor(Date.parse(x.lastUsedAt) / 60_000) * 60_000] : []));
      expect(merged.lastUsedAt).toBe(lastUses.length ? iso(Math.max(...lastUses)) : null);
    }), { numRuns: 200 });
  });
});

describe('mergeKeyStates: the rules', () => {
  const base = normalizeKeyState({
    keyArn: KEY_ARN, keyId: KEY_ID, accountId: ACCT, region: 'us-east-1', aliases: [], state: 'Unknown',
    rotationEnabled: null, rotationPeriodDays: null, lastRotatedAt: null, currentVersion: null, versions: [],
    createdAt: null, deletionDate: null, firstUsedAt: null, lastUsedAt: null, updatedAt: iso(T0),
  });
  const at = (min: number) => iso(T0 + min * 60_000);

  it('each writer contributes its own fact and the newer of two wins, whatever updatedAt says', () => {
    const serve = { ...base, state: 'Disabled' as const, asOf: { ...base.asOf!, state: at(5) }, lastUsedAt: at(9), updatedAt: at(9) };
    const refresh = { ...base, state: 'Enabled' as const, rotationEnabled: true, rotationPeriodDays: 365, asOf: { ...base.asOf!, state: at(3), rotation: at(3) }, updatedAt: at(3) };
    const imported = { ...base, aliases: ['alias/x'], asOf: { ...base.asOf!, aliases: { 'alias/x': at(1) } }, policyUpdatedAt: at(2), updatedAt: at(2) };
    const m = mergeAllKeyStates([refresh, imported, serve]);
    expect(m).toMatchObject({ state: 'Disabled', rotationEnabled: true, rotationPeriodDays: 365, aliases: ['alias/x'], policyUpdatedAt: at(2), lastUsedAt: at(9), updatedAt: at(9) });
  });

  it('a removed alias stays as a tombstone, so an older touch cannot bring it back', () => {
    const removed = { ...base, asOf: { ...base.asOf!, aliases: { 'alias/x': at(5) } } };
    const old = { ...base, aliases: ['alias/x'], asOf: { ...base.asOf!, aliases: { 'alias/x': at(2) } } };
    expect(mergeKeyStates(old, removed).aliases).toEqual([]);
    expect(mergeKeyStates(removed, { ...old, asOf: { ...old.asOf!, aliases: { 'alias/x': at(6) } } }).aliases).toEqual(['alias/x']);
  });

  it("KMS's creation date beats an event's guess; of guesses, the earliest", () => {
    const guess = { ...base, createdAt: at(1) };
    const kms = { ...base, createdAt: at(2), asOf: { ...base.asOf!, createdAt: at(60) } };
    expect(mergeKeyStates(guess, kms).createdAt).toBe(at(2));
    expect(mergeKeyStates(guess, { ...base, createdAt: at(0) }).createdAt).toBe(at(0));
  });

  it('lastUsedAt is kept at minute resolution, so uses within a minute change nothing', () => {
    const a = mergeKeyStates(base, { ...base, lastUsedAt: iso(T0 + 61_000) });
    expect(a.lastUsedAt).toBe(at(1));
    expect(sameKeyState(a, mergeKeyStates(a, { ...base, lastUsedAt: iso(T0 + 119_999) }))).toBe(true);
  });

  it('a state written before asOf counts its facts as known at its updatedAt', () => {
    const legacy: KeyState = { ...base, state: 'Disabled', currentVersion: 'v1', versions: ['v0', 'v1'], aliases: ['alias/x'], updatedAt: at(10) };
    delete legacy.asOf;
    const newer = { ...base, state: 'Enabled' as const, asOf: { ...base.asOf!, state: at(11) } };
    const older = { ...base, state: 'Enabled' as const, asOf: { ...base.asOf!, state: at(9) } };
    expect(mergeKeyStates(legacy, newer).state).toBe('Enabled');
    expect(mergeKeyStates(legacy, older)).toMatchObject({ state: 'Disabled', currentVersion: 'v1', versions: ['v0', 'v1'], aliases: ['alias/x'] });
  });

  it('refuses to merge two keys', () => {
    expect(() => mergeKeyStates(base, { ...base, keyArn: `${KEY_ARN}0` })).toThrow(/two keys/);
  });
});
