import type { Store } from '../../lib/store';
import { DATA_RANGE } from './support/dataset';
import { expect, test } from './support/fixtures';
import { openDatasetStore } from './support/store-answers';
import { failureBreakdown, filterValues } from '../../lib/questions/registry';

let store: Store;
test.beforeAll(async () => {
  store = await openDatasetStore();
});
test.afterAll(async () => store.close());

test.describe('on-call URL state', () => {
  test('a filter lands in the URL, and a reload shows the same filtered view', async ({ oncall, page }) => {
    await oncall.goto(DATA_RANGE);
    await oncall.waitSettled(['ready']);
    const { services } = await store.answer(filterValues, { ...DATA_RANGE, limit: 200 });
    const service = services[services.length - 1]!;
    await oncall.chooseFilter('service', service);
    await expect(page).toHaveURL(new RegExp(`service=${encodeURIComponent(service)}`));
    await oncall.waitSettled(['ready', 'empty']);

    const f = await store.answer(failureBreakdown, { ...DATA_RANGE, by: 'errorClass', limit: 8, filters: { service } });
    const expectTotal = async () => {
      if (f.total > 0) expect((await oncall.valueOf('failures-total')).value).toBe(f.total);
      else await expect(oncall.panel('failure-breakdown')).toHaveAttribute('data-state', 'empty');
    };
    await expectTotal();

    await page.reload();
    await oncall.waitSettled(['ready', 'empty']);
    await expect(oncall.filter('service')).toHaveValue(service);
    await expect(page.getByTestId('range-label')).toHaveText('2026-03-02 10:00 UTC → 2026-03-02 12:00 UTC');
    await expectTotal();
  });

  test('filters, grouping and refresh survive a reload together; Back undoes a filter', async ({ oncall, page }) => {
    const { tenants, kekIds } = await store.answer(filterValues, { ...DATA_RANGE, limit: 200 });
    await oncall.goto({ ...DATA_RANGE, failuresBy: 'kekId', refresh: '5m' });
    await oncall.waitSettled();
    await oncall.chooseFilter('tenant', tenants[0]!);
    await oncall.chooseFilter('kek', kekIds[0]!);
    await page.reload();
    await expect(oncall.filter('tenant')).toHaveValue(tenants[0]!);
    await expect(oncall.filter('kek')).toHaveValue(kekIds[0]!);
    await expect(page.locator('select[name="refresh"]')).toHaveValue('5m');
    await expect(page.getByRole('group', { name: 'Group failures by' }).getByRole('button', { name: 'KEK' })).toHaveAttribute('aria-pressed', 'true');
    await page.goBack();
    await expect(oncall.filter('kek')).toHaveValue('');
    await expect(oncall.filter('tenant')).toHaveValue(tenants[0]!);
  });

  test('a preset replaces an absolute range in the URL', async ({ oncall, page }) => {
    await oncall.goto(DATA_RANGE);
    await oncall.waitSettled();
    await oncall.choosePreset('6h');
    await expect(page).toHaveURL(/range=6h/);
    await expect(page).not.toHaveURL(/from=/);
    await expect(page.getByTestId('range-label')).toHaveText('Last 6 hours');
    await oncall.waitSettled();
  });

  test('a custom range typed in the picker becomes from/to in the URL', async ({ oncall, page }) => {
    await oncall.goto({ range: '1h' });
    await oncall.waitSettled();
    await page.getByRole('button', { name: 'Custom…' }).click();
    const form = page.getByRole('form', { name: 'Custom time range (UTC)' });
    await form.getByLabel('from (UTC)').fill('2026-03-02T10:30');
    await form.getByLabel('to (UTC)').fill('2026-03-02T11:30');
    await form.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/from=2026-03-02T10%3A30%3A00Z|from=2026-03-02T10:30:00Z/);
    await expect(page.getByTestId('range-label')).toHaveText('2026-03-02 10:30 UTC → 2026-03-02 11:30 UTC');
    await oncall.waitSettled(['ready']);
  });
});

test('auto-refresh refetches on its interval, and off stops it', async ({ oncall, page }) => {
  await page.clock.install();
  await oncall.goto({ ...DATA_RANGE, refresh: '30s' });
  await oncall.waitSettled(['ready']);
  const refetch = page.waitForRequest(/\/api\/questions\/latencyPercentiles\?/);
  await page.clock.fastForward(31_000);
  await refetch;
  await oncall.waitSettled(['ready']);

  await page.locator('select[name="refresh"]').selectOption('off');
  await expect(page).not.toHaveURL(/refresh=/);
  let requests = 0;
  page.on('request', (r) => {
    if (r.url().includes('/api/questions/')) requests += 1;
  });
  await page.clock.fastForward(5 * 60_000);
  await oncall.waitSettled(['ready']);
  expect(requests).toBe(0);
});
