import { describe, expect, it } from 'vitest';
import { DEFAULT_SLOS, type SloDefinition } from '../../lib/detect/slo-config';
import type { KeyOperation } from '../../lib/model/key-operation';
import { sloStatusQuestion } from '../../lib/questions/slo-status/definition';
import { BACKENDS } from '../conformance/support/backends';
import { SERVICES, TENANTS, generateOperations } from '../support/key-operation-generator';
import { HOUR, MIN, iso, ms } from '../support/on-call-fixture';
import { useBackendStore } from '../support/on-call-store';
import { sloStatus } from '../../lib/questions/registry';

const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 3, 1, 12, 0, 40);
const END = Date.UTC(2026, 3, 1, 12, 1); // the end of the minute holding NOW, worked out by hand

/** A month of sparse traffic, seven dense hours, then ten minutes of KMS failing half the time. */
const background = generateOperations(100, 3000, { fromMs: END - 31 * DAY, toMs: END - 7 * HOUR }, { baseFailureRate: 0.0003 });
const recent = generateOperations(101, 3000, { fromMs: END - 7 * HOUR, toMs: END - 10 * MIN }, { baseFailureRate: 0.0003 });
const outage = generateOperations(102, 600, { fromMs: END - 10 * MIN, toMs: NOW }, { baseFailureRate: 0.5 });
/** Unwraps exactly on window edges: the first millisecond of a window counts, the one before does not. */
const edges = generateOperations(103, 4, { fromMs: 0, toMs: 1 }).map((o, i) => ({
  ...o,
  operation: 'unwrap' as const,
  time: iso([END - 30 * DAY, END - 30 * DAY - 1, END - 5 * MIN, END - 5 * MIN - 1][i]!),
}));
const ops: KeyOperation[] = [...background, ...recent, ...outage, ...edges];


function counts(slo: SloDefinition, fromMs: number, toMs: number) {
  let good = 0;
  let total = 0;
  for (const o of ops) {
    const t = ms(o.time);
    if (o.operation !== 'unwrap' || t < fromMs || t >= toMs) continue;
    const f = slo.filters;
    if ((f.service && o.service !== f.service) || (f.tenant && o.tenant !== f.tenant) || (f.kekId && o.kekId !== f.kekId)) continue;
    if (slo.sli === 'unwrap_success') { total++; if (o.outcome === 'success') good++; }
    if (slo.sli === 'unwrap_latency') { total++; if (o.latencyMs <= slo.thresholdMs!) good++; }
    if (slo.sli === 'cache_hit' && o.cacheHit !== null) { total++; if (o.cacheHit) good++; }
  }
  return { good, total };
}

function expected(slo: SloDefinition) {
  const w = counts(slo, END - slo.windowDays * DAY, END);
  const sli = w.total > 0 ? w.good / w.total : null;
  const burn = (['5m', '30m', '1h', '6h'] as const).map((name, i) => {
    const from = END - [5, 30, 60, 360][i]! * MIN;
    const c = counts(slo, from, END);
    return { window: name, from: iso(from), to: iso(END), ...c, burnRate: c.total > 0 ? (c.total - c.good) / c.total / (1 - slo.objective) : null };
  });
  const rate = (name: string) => burn.find((b) => b.window === name)!.burnRate;
  const over = (name: string, x: number) => (rate(name) ?? 0) > x;
  const page = over('1h', 14.4) && over('5m', 14.4);
  const ticket = over('6h', 6) && over('30m', 6);
  return {
    window: { from: iso(END - slo.windowDays * DAY), to: iso(END), ...w, sli },
    errorBudgetRemaining: sli === null ? null : 1 - (1 - sli) / (1 - slo.objective),
    burnRates: burn,
    state: page ? 'page' : ticket ? 'ticket' : 'ok',
  };
}

const slos: SloDefinition[] = [
  ...DEFAULT_SLOS,
  { id: 'latency-raw', name: 'Unwraps under 180 ms', sli: 'unwrap_latency', thresholdMs: 180, objective: 0.9, windowDays: 30, filters: {} },
  { id: 'billing', name: 'Billing unwraps', sli: 'unwrap_success', objective: 0.999, windowDays: 7, filters: { service: SERVICES[2] } },
  { id: 'tenant-cache', name: 'Tenant cache', sli: 'cache_hit', objective: 0.8, windowDays: 1, filters: { tenant: TENANTS[3] } },
];

describe.each(BACKENDS)('%s: sloStatus', (backend) => {
  const store = useBackendStore(backend, async (s) => {
    for (let i = 0; i < ops.length; i += 1000) await s.writeBatch({ keyOperations: ops.slice(i, i + 1000) });
  });
  const ask = async (slo: SloDefinition) =>
    sloStatusQuestion.result.parse(await store().answer(sloStatus, sloStatusQuestion.params.parse({ slo, now: iso(NOW) })));

  for (const slo of slos) {
    it(`${slo.id}: window counts, error budget, burn rates and alert state match`, async () => {
      const r = await ask(slo);
      const e = expected(slo);
      expect(r).toMatchObject({ sloId: slo.id, name: slo.name, sli: slo.sli, objective: slo.objective });
      expect(r.window).toEqual(e.window);
      expect(r.errorBudgetRemaining).toBe(e.errorBudgetRemaining);
      expect(r.burnRates).toEqual(e.burnRates);
      expect(r.alert.state).toBe(e.state);
      expect(r.alert.page.long.burnRate).toBe(e.burnRates[2]!.burnRate);
    });
  }

  it('the outage pages the unwrap-success SLO and overspends its error budget', async () => {
    const r = await ask(DEFAULT_SLOS[0]!);
    expect(r.alert.state).toBe('page');
    expect(r.alert.page.firing && r.alert.ticket.firing).toBe(true);
    expect(r.errorBudgetRemaining!).toBeLessThan(0);
    // Window edges: the first millisecond of the 30-day window is in, the one before is out.
    expect(r.window.from).toBe(iso(END - 30 * DAY));
  });

  it('is all nulls and ok for a slice with no traffic', async () => {
    const r = await ask({ ...DEFAULT_SLOS[0]!, filters: { service: 'nothing-here' } });
    expect(r.window).toMatchObject({ good: 0, total: 0, sli: null });
    expect(r.errorBudgetRemaining).toBeNull();
    expect(r.burnRates.every((b) => b.burnRate === null)).toBe(true);
    expect(r.alert.state).toBe('ok');
  });
});
