import { describe, expect, it } from 'vitest';
import { filterValuesQuestion } from '../../lib/questions/filter-values/definition';
import { BACKENDS } from '../conformance/support/backends';
import { HOUR, RANGE, iso, ms, onCallFixture } from '../support/on-call-fixture';
import { useOnCallStore } from '../support/on-call-store';
import { filterValues } from '../../lib/questions/registry';

const { ops } = onCallFixture();

const distinct = (pick: (o: (typeof ops)[number]) => string, fromMs: number, toMs: number): string[] =>
  [...new Set(ops.filter((o) => ms(o.time) >= fromMs && ms(o.time) < toMs).map(pick))].sort();

describe.each(BACKENDS)('%s: filterValues', (backend) => {
  const { store } = useOnCallStore(backend);
  const ask = async (input: Record<string, unknown>) =>
    filterValuesQuestion.result.parse(await store().answer(filterValues, filterValuesQuestion.params.parse(input)));

  it('lists the services, tenants and KEKs with operations in the range, sorted', async () => {
    const r = await ask({ from: iso(RANGE.fromMs), to: iso(RANGE.toMs) });
    expect(r).toEqual({
      services: distinct((o) => o.service, RANGE.fromMs, RANGE.toMs),
      tenants: distinct((o) => o.tenant, RANGE.fromMs, RANGE.toMs),
      kekIds: distinct((o) => o.kekId, RANGE.fromMs, RANGE.toMs),
      truncated: false,
    });
  });

  it('cuts each list at the limit and says so', async () => {
    const r = await ask({ from: iso(RANGE.fromMs), to: iso(RANGE.toMs), limit: 1 });
    expect(r.services).toHaveLength(1);
    expect(r.truncated).toBe(true);
  });

  it('is empty for a range without operations', async () => {
    const r = await ask({ from: iso(RANGE.toMs + 2 * HOUR), to: iso(RANGE.toMs + 3 * HOUR) });
    expect(r).toEqual({ services: [], tenants: [], kekIds: [], truncated: false });
  });
});
