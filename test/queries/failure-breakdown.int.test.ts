import { describe, expect, it } from 'vitest';
import type { KeyOperation } from '../../lib/model/key-operation';
import { failureBreakdownQuestion } from '../../lib/questions/failure-breakdown/definition';
import { BACKENDS } from '../conformance/support/backends';
import { KEKS, TENANTS } from '../support/key-operation-generator';
import { INCIDENT, MIN, RANGE, T0, iso, ms, onCallFixture } from '../support/on-call-fixture';
import { useOnCallStore } from '../support/on-call-store';
import { failureBreakdown } from '../../lib/questions/registry';

const { ops } = onCallFixture();

type By = 'errorClass' | 'service' | 'kekId';
const keyOf = (o: KeyOperation, by: By): string => (by === 'errorClass' ? o.errorClass! : by === 'service' ? o.service : o.kekId);

function expected(by: By, fromMs: number, toMs: number, limit: number, keep: (o: KeyOperation) => boolean = () => true) {
  const counts = new Map<string, number>();
  for (const o of ops) {
    if (o.outcome !== 'failure' || !keep(o) || ms(o.time) < fromMs || ms(o.time) >= toMs) continue;
    counts.set(keyOf(o, by), (counts.get(keyOf(o, by)) ?? 0) + 1);
  }
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const total = sorted.reduce((s, [, n]) => s + n, 0);
  const rest = sorted.slice(limit);
  const restCount = rest.reduce((s, [, n]) => s + n, 0);
  return {
    by,
    rows: sorted.slice(0, limit).map(([key, count]) => ({ key, count, share: count / total })),
    other: rest.length ? { count: restCount, groups: rest.length, share: restCount / total } : null,
    total,
  };
}

describe.each(BACKENDS)('%s: failureBreakdown', (backend) => {
  const { store } = useOnCallStore(backend);
  const ask = async (input: Record<string, unknown>) =>
    failureBreakdownQuestion.result.parse(await store().answer(failureBreakdown, failureBreakdownQuestion.params.parse(input)));

  for (const by of ['errorClass', 'service', 'kekId'] as const) {
    it(`groups failures by ${by}, largest first`, async () => {
      const r = await ask({ from: iso(RANGE.fromMs), to: iso(RANGE.toMs), by });
      expect(r).toEqual(expected(by, RANGE.fromMs, RANGE.toMs, 10));
      expect(r.other).toBeNull();
      expect(r.total).toBe(ops.filter((o) => o.outcome === 'failure').length);
    });
  }

  it('folds the groups beyond the limit into "other", so truncation shows', async () => {
    const r = await ask({ from: iso(RANGE.fromMs), to: iso(RANGE.toMs), by: 'errorClass', limit: 2 });
    expect(r).toEqual(expected('errorClass', RANGE.fromMs, RANGE.toMs, 2));
    expect(r.rows[0]!.key).toBe('throttled');
    expect(r.other!.groups).toBeGreaterThanOrEqual(2);
    expect(r.rows.reduce((s, x) => s + x.count, 0) + r.other!.count).toBe(r.total);
  });

  it('counts exactly [from, to), with operation and dimension filters', async () => {
    const from = INCIDENT.fromMs - 7 * MIN - 1234;
    const to = INCIDENT.toMs + 3 * MIN + 999;
    const keep = (o: KeyOperation) => o.operation === 'unwrap' && o.tenant === TENANTS[2] && o.kekId === KEKS[2];
    const r = await ask({ from: iso(from), to: iso(to), by: 'service', limit: 3, operation: 'unwrap', filters: { tenant: TENANTS[2], kekId: KEKS[2] } });
    expect(r).toEqual(expected('service', from, to, 3, keep));
    expect(r.total).toBeGreaterThan(0);
  });

  it('is empty, not an error, when nothing failed', async () => {
    expect(await ask({ from: iso(T0 - 3 * MIN), to: iso(T0 - MIN), by: 'kekId' })).toEqual({ by: 'kekId', rows: [], other: null, total: 0 });
  });
});
