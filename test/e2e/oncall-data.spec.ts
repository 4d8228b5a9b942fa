import { formatBurnRate, formatCount, formatMs, formatPercent } from '../../lib/dashboard/format';
import { sloCardState } from '../../components/oncall/slo-card-state';
import type { Store } from '../../lib/store';
import { PANELS } from './pages/oncall-page';
import { DATA_RANGE } from './support/dataset';
import { expect, test } from './support/fixtures';
import { SLOS, openDatasetStore } from './support/store-answers';
import { failureBreakdown, ingestHealth, kmsThrottling, latencyPercentiles, sliSeries, sloStatus } from '../../lib/questions/registry';

let store: Store;
test.beforeAll(async () => {
  store = await openDatasetStore();
});
test.afterAll(async () => store.close());

test.describe('on-call page over the seeded dataset', () => {
  test.beforeEach(async ({ oncall }) => {
    await oncall.goto(DATA_RANGE);
    await oncall.waitSettled(['ready']);
  });

  test('renders one card per SLO and every chart with axes and a legend', async ({ oncall, page }) => {
    for (const slo of SLOS) await expect(oncall.sloCard(slo.id)).toContainText(slo.name);
    for (const id of PANELS.filter((p) => p !== 'ingest-health')) {
      await expect(oncall.panel(id).locator('svg.recharts-surface').first()).toBeVisible();
      await expect(oncall.panel(id).locator('.recharts-cartesian-axis-tick-value').first()).toBeVisible();
    }
    const ticks = oncall.panel('unwrap-latency').locator('.recharts-cartesian-axis-tick-value');
    await expect(ticks.filter({ hasText: /^10:30$/ })).toBeVisible();
    await expect(ticks.filter({ hasText: /^\d+ ms$/ }).first()).toBeVisible();
    await expect(oncall.panel('unwrap-latency').locator('.recharts-legend-wrapper')).toContainText('p95');
    await expect(oncall.panel('unwrap-latency')).toContainText('objective: 200 ms');
    // The demo's store is sqlite: the subtitle names its exact method, not Elasticsearch's HDR.
    await expect(oncall.panel('unwrap-latency')).toContainText('exact nearest-rank');
    await expect(oncall.panel('unwrap-success')).toContainText('objective 99.95%');
    await expect(oncall.panel('dek-cache-hit')).toContainText('objective 95.00%');
    await expect(oncall.panel('kms-throttling').locator('.recharts-legend-wrapper')).toContainText('CloudTrail ThrottlingException');
    await expect(page.getByTestId('range-label')).toHaveText('2026-03-02 10:00 UTC → 2026-03-02 12:00 UTC');
  });

  test('SLO cards show the SLI, error budget, burn rates and alert state the store computes at the range end', async ({ oncall }) => {
    for (const slo of SLOS) {
      const s = await store.answer(sloStatus, { slo, now: DATA_RANGE.to });
      expect(s.window.total).toBeGreaterThan(0);
      expect(await oncall.valueOf(`slo-${slo.id}-sli`)).toEqual({ value: s.window.sli, text: formatPercent(s.window.sli, 3) });
      expect(await oncall.valueOf(`slo-${slo.id}-budget`)).toEqual({ value: s.errorBudgetRemaining, text: formatPercent(s.errorBudgetRemaining, 1) });
      for (const b of s.burnRates) {
        expect(await oncall.valueOf(`slo-${slo.id}-burn-${b.window}`)).toEqual({ value: b.burnRate, text: formatBurnRate(b.burnRate) });
      }
      await expect(oncall.page.getByTestId(`slo-${slo.id}-alert`)).toHaveAttribute('data-value', s.alert.state);
      await expect(oncall.sloCard(slo.id)).toHaveAttribute('data-state', sloCardState(s));
      // An objective missed without a burn-rate alert says MISSED, never OK.
      const label = s.alert.state !== 'ok' ? s.alert.state.toUpperCase() : s.window.sli! < s.objective ? 'MISSED' : 'OK';
      await expect(oncall.page.getByTestId(`slo-${slo.id}-alert`)).toHaveText(label);
    }
  });

  test('latency figures equal the store’s exact percentiles, per bucket and over the range', async ({ oncall }) => {
    const r = await store.answer(latencyPercentiles, { ...DATA_RANGE, operation: 'unwrap', filters: {} });
    expect(await oncall.valueOf('latency-overall-p95')).toEqual({ value: r.overall.p95, text: formatMs(r.overall.p95) });
    const withData = r.points.filter((p) => p.p95 !== null);
    expect(withData.length).toBeGreaterThan(10);
    const slowest = withData.reduce((a, b) => (b.p95! > a.p95! ? b : a));
    for (const p of [withData[0]!, slowest]) {
      for (const k of ['p50', 'p95', 'p99'] as const) {
        expect(await oncall.valueOf(`latency-${k}-${p.t}`)).toEqual({ value: p[k], text: formatMs(p[k]) });
      }
    }
    // Every bucket of the frame is listed, gaps included (a gap is a dash, not 0 ms).
    await expect(oncall.panel('unwrap-latency').locator('tbody tr')).toHaveCount(r.points.length);
  });

  test('success and cache-hit rates equal the store’s SLI series', async ({ oncall }) => {
    const success = await store.answer(sliSeries, { ...DATA_RANGE, sli: 'unwrap_success', filters: {} });
    const cache = await store.answer(sliSeries, { ...DATA_RANGE, sli: 'cache_hit', filters: {} });
    expect(await oncall.valueOf('unwrap-success-overall')).toEqual({ value: success.summary.ratio, text: formatPercent(success.summary.ratio, 2) });
    expect(await oncall.valueOf('unwrap-success-total')).toEqual({ value: success.summary.total, text: formatCount(success.summary.total) });
    expect(await oncall.valueOf('dek-cache-hit-overall')).toEqual({ value: cache.summary.ratio, text: formatPercent(cache.summary.ratio, 2) });
    const worst = success.points.filter((p) => p.ratio !== null).reduce((a, b) => (b.ratio! < a.ratio! ? b : a));
    expect(await oncall.valueOf(`unwrap-success-ratio-${worst.t}`)).toEqual({ value: worst.ratio, text: formatPercent(worst.ratio, 3) });
  });

  test('failure counts equal the store’s breakdown, for each grouping', async ({ oncall }) => {
    for (const [by, label] of [['errorClass', 'Error class'], ['service', 'Service'], ['kekId', 'KEK']] as const) {
      if (by !== 'errorClass') {
        await oncall.groupFailuresBy(label);
        await expect(oncall.page).toHaveURL(new RegExp(`failuresBy=${by}`));
        await expect(oncall.panel('failure-breakdown')).toHaveAttribute('data-state', 'ready');
        await expect(oncall.panel('failure-breakdown')).toHaveAttribute('aria-busy', 'false');
      }
      const f = await store.answer(failureBreakdown, { ...DATA_RANGE, by, limit: 8, filters: {} });
      expect(f.total).toBeGreaterThan(0);
      expect(await oncall.valueOf('failures-total')).toEqual({ value: f.total, text: formatCount(f.total) });
      for (const row of f.rows) expect((await oncall.valueOf(`failure-count-${row.key}`)).value).toBe(row.count);
    }
  });

  test('throttling totals equal the store’s answer', async ({ oncall }) => {
    const t = await store.answer(kmsThrottling, { ...DATA_RANGE, filters: {} });
    expect((await oncall.valueOf('throttling-operations-total')).value).toBe(t.totals.operations);
    expect((await oncall.valueOf('throttling-audit-total')).value).toBe(t.totals.auditEvents);
  });

  test('ingest health lists each source with its lag and the dead-letter count', async ({ oncall }) => {
    const h = await store.answer(ingestHealth, { ...DATA_RANGE, latest: 5 });
    expect(h.sources.length).toBeGreaterThan(0);
    for (const s of h.sources) await expect(oncall.page.getByTestId(`ingest-lag-${s.source}-${s.kind}`)).toBeVisible();
    expect((await oncall.valueOf('dead-letters-total')).value).toBe(h.deadLetters.total);
  });
});

test('mid-outage, the success SLO pages and the card says so in colour and words', async ({ oncall }) => {
  const range = { from: DATA_RANGE.from, to: '2026-03-02T11:00:00Z' };
  const slo = SLOS.find((s) => s.id === 'unwrap-success')!;
  const s = await store.answer(sloStatus, { slo, now: range.to });
  expect(s.alert.state).toBe('page');
  await oncall.goto(range);
  await oncall.waitSettled(['ready']);
  await expect(oncall.sloCard(slo.id)).toHaveAttribute('data-state', 'page');
  await expect(oncall.page.getByTestId(`slo-${slo.id}-alert`)).toHaveText('PAGE');
  await expect(oncall.page.getByTestId(`slo-${slo.id}-alert-words`)).toContainText('fast burn: 1h and 5m above 14.4×');
});
