import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { TOTAL_CAP } from '../../lib/questions/audit-common';
import { auditEvent, auditFacets, auditHistogram, auditSearch } from '../../lib/questions/registry';
import type { Store } from '../../lib/store';
import { parseCsv } from '../export/csv-parse';
import { DATA_RANGE, EMPTY_RANGE } from './support/dataset';
import { expect, test } from './support/fixtures';
import { openDatasetStore } from './support/store-answers';

/**
 * The analyst's audit search over the seeded dataset, driven as a person would: typing with
 * completion, facet buttons, a drag on the histogram, expanding a row, saving and reloading.
 * Every expected number is the store's own answer for the query the page put in its URL.
 */
const DIR = 'docs/screenshots';
mkdirSync(DIR, { recursive: true });
const range = `from=${DATA_RANGE.from}&to=${DATA_RANGE.to}`;

const results = (page: Page) => page.getByTestId('audit-results');
const queryInput = (page: Page) => page.getByRole('combobox', { name: 'Query' });
const settled = async (page: Page) => {
  for (const id of ['audit-results', 'audit-histogram', 'audit-facets']) await expect(page.getByTestId(id)).toHaveAttribute('data-state', /ready|empty/);
  await expect(results(page)).toHaveAttribute('aria-busy', 'false');
};

/** The URL's view: what the page is showing, to ask the store the same question. */
function viewOfUrl(page: Page): { from: string; to: string; query: string } {
  const u = new URL(page.url());
  return { from: u.searchParams.get('from')!, to: u.searchParams.get('to')!, query: u.searchParams.get('query') ?? '' };
}

/** The same journeys over each store: the dashboard on SQLite, and on Elasticsearch holding the same dataset. */
for (const backend of ['sqlite', 'elasticsearch'] as const) {
  test.describe(`on ${backend}`, () => {
    test.use({ server: backend === 'sqlite' ? 'data' : 'elasticsearch' });
    let store: Store;
    test.beforeAll(async () => {
      store = await openDatasetStore(backend);
    });
    test.afterAll(async () => store.close());
    /** One set of pictures (SQLite's); both stores draw the same page. */
    const shot = async (page: Page, name: string, fullPage = true) => {
      if (backend === 'sqlite') await page.screenshot({ path: `${DIR}/${name}.png`, fullPage });
    };

    async function storeTotal(v: { from: string; to: string; query: string }): Promise<{ value: number; relation: string }> {
      const r = await store.answer(auditSearch, auditSearch.params.parse({ from: v.from, to: v.to, ...(v.query ? { query: v.query } : {}), limit: 50 }));
      return r.total!;
    }

    async function expectTotalAsStore(page: Page): Promise<number> {
      await settled(page);
      const t = await storeTotal(viewOfUrl(page));
      await expect(page.getByTestId('results-total')).toHaveAttribute('data-value', String(t.value));
      await expect(page.getByTestId('results-total')).toHaveAttribute('data-relation', t.relation);
      return t.value;
    }

    test('typing a query with field and value completion searches for it', async ({ page }) => {
      await page.goto(`/security?${range}`);
      await settled(page);
      await shot(page, 'security');
      const bar = queryInput(page);
      await bar.click();
      await bar.pressSequentially('event.ac');
      await expect(page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option', { name: /^event\.action/ })).toBeVisible();
      await bar.press('Tab');
      await expect(bar).toHaveValue('event.action:');
      await bar.pressSequentially('Dec');
      // The values of that prefix only (the answer for "Dec", not the one before it).
      await expect(page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option').first()).toHaveText(/^Decrypt/);
      await shot(page, 'security-completion', false);
      await bar.press('ArrowDown');
      await bar.press('Enter');
      await expect(bar).toHaveValue('event.action:"Decrypt"');
      await bar.press('Enter');
      await expect.poll(() => viewOfUrl(page).query).toBe('event.action:"Decrypt"');
      const total = await expectTotalAsStore(page);
      expect(total).toBeGreaterThan(0);
      for (const cell of await results(page).locator('td:nth-child(3)').allTextContents()) expect(cell).toBe('Decrypt');
    });

    test('a malformed query says where it is wrong and cannot be applied', async ({ page }) => {
      await page.goto(`/security?${range}`);
      await settled(page);
      const bar = queryInput(page);
      await bar.fill('event.action:Decrypt and (source.ip:10.0.0.1');
      await expect(page.getByTestId('query-error')).toBeVisible();
      await expect(bar).toHaveAttribute('aria-invalid', 'true');
      await expect(page.getByRole('button', { name: 'Search', exact: true })).toBeDisabled();
      await shot(page, 'security-query-error', false);
      await bar.press('Enter');
      expect(new URL(page.url()).searchParams.get('query')).toBeNull();
    });

    test('facet buttons include and exclude values; counts follow the store', async ({ page }) => {
      const facets = await store.answer(auditFacets, auditFacets.params.parse({ ...DATA_RANGE }));
      const actions = facets.facets.find((f) => f.field === 'event.action')!;
      expect(actions.values.length, 'the dataset has more than one KMS action').toBeGreaterThan(1);
      const [first, second] = actions.values;
      await page.goto(`/security?${range}`);
      await settled(page);
      const facet = page.getByTestId('facet-event.action');
      await expect(facet.locator(`[data-value="${first!.value}"]`)).toContainText(first!.value);
      // ARNs show their resource part; the full value is the title.
      const principals = facets.facets.find((f) => f.field === 'keyscope.principal.caller')!.values[0]!.value;
      await expect(page.getByTestId('facet-keyscope.principal.caller').locator('span[title]').first()).toHaveAttribute('title', principals);
      await expect(page.getByTestId('facet-keyscope.principal.caller').locator('span[title]').first()).toHaveText(principals.split(':').slice(5).join(':'));

      await page.getByRole('button', { name: `Filter for event.action ${second!.value}`, exact: true }).click();
      await expect(queryInput(page)).toHaveValue(`event.action:"${second!.value}"`);
      // The facet's count is exact; the total is exact up to the cap.
      expect(await expectTotalAsStore(page)).toBe(Math.min(second!.count, TOTAL_CAP));

      await page.getByRole('button', { name: `Filter out event.outcome success`, exact: true }).click();
      await expect(queryInput(page)).toHaveValue(`event.action:"${second!.value}" and not event.outcome:"success"`);
      const narrowed = await expectTotalAsStore(page);
      expect(narrowed).toBeLessThanOrEqual(Math.min(second!.count, TOTAL_CAP));
      for (const outcome of await page.getByTestId('result-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outcome')))) expect(outcome).not.toBe('success');

      // Back returns to the previous search (each search is a history entry).
      await page.goBack();
      await expect(queryInput(page)).toHaveValue(`event.action:"${second!.value}"`);
      expect(await expectTotalAsStore(page)).toBe(Math.min(second!.count, TOTAL_CAP));
    });

    test('dragging across the histogram narrows the range to the buckets dragged over', async ({ page }) => {
      await page.goto(`/security?${range}`);
      await settled(page);
      await expectTotalAsStore(page);
      // The plot area (the grid), not the legend's icons, which are SVG surfaces too.
      const chart = page.getByTestId('histogram-figure').locator('.recharts-cartesian-grid');
      const box = (await chart.boundingBox())!;
      const y = box.y + box.height * 0.6;
      await page.mouse.move(box.x + box.width * 0.3, y);
      await page.mouse.move(box.x + box.width * 0.35, y, { steps: 3 });
      // The press starts on the bucket under the pointer once the chart has made it active.
      await expect(page.getByTestId('histogram-figure').locator('.recharts-tooltip-wrapper')).toBeVisible();
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.45, y, { steps: 5 });
      await page.mouse.move(box.x + box.width * 0.55, y, { steps: 5 });
      await page.mouse.up();
      await expect.poll(() => viewOfUrl(page).from).not.toBe(DATA_RANGE.from);
      const v = viewOfUrl(page);
      expect(Date.parse(v.from)).toBeGreaterThan(Date.parse(DATA_RANGE.from));
      expect(Date.parse(v.to)).toBeLessThan(Date.parse(DATA_RANGE.to));
      await expect(page.getByTestId('range-label')).toContainText('→');
      expect(await expectTotalAsStore(page)).toBeGreaterThan(0);
      // The histogram counts exactly (the table's total stops at the cap): fewer events in the dragged range.
      const count = async (r: { from: string; to: string }) => (await store.answer(auditHistogram, auditHistogram.params.parse(r))).total;
      expect(await count(v)).toBeLessThan(await count(DATA_RANGE));
      expect(await count(v)).toBeGreaterThan(0);
    });

    test('a row expands to every field and the raw record, and pivots to the principal', async ({ page }) => {
      await page.goto(`/security?${range}`);
      await settled(page);
      const row = page.getByTestId('result-row').first();
      const id = (await row.getAttribute('data-event-id'))!;
      const { event } = await store.answer(auditEvent, auditEvent.params.parse({ id }));
      await row.getByRole('button', { name: `Expand event ${id}` }).click();
      const detail = page.getByTestId('event-detail');
      await expect(detail).toHaveAttribute('data-event-id', id);
      const raw = JSON.parse((await detail.getByTestId('raw-json').textContent())!) as Record<string, unknown>;
      expect(raw).toEqual(event!.raw);
      await expect(detail.locator('[data-field="event.action"]')).toContainText(event!.eventName);
      await shot(page, 'security-event');
      // The expanded row is in the URL: a reload shows it open.
      await page.reload();
      await expect(page.getByTestId('event-detail')).toHaveAttribute('data-event-id', id);

      await page.getByTestId('event-detail').getByRole('link', { name: 'key →' }).click();
      await expect(page.getByTestId('key-page')).toHaveAttribute('data-state', 'ready');
      await expect(page.getByRole('heading', { level: 1 })).toContainText(event!.keyArn!);
      await page.goBack();
      await page.getByTestId('event-detail').getByRole('link', { name: 'principal →' }).click();
      await expect(page.getByTestId('principal-page')).toHaveAttribute('data-state', /ready|empty/);
      // The page is the caller's (an assumed role's session folds into its role).
      await expect(page.getByRole('heading', { level: 1 })).toContainText(event!.principal.name!);
    });

    test('a reload shows the same view: query, range, page and columns', async ({ page }) => {
      await page.goto(`/security?${range}&query=${encodeURIComponent('event.outcome:success')}`);
      await expectTotalAsStore(page);
      const firstPage = await page.getByTestId('result-row').first().getAttribute('data-event-id');
      await results(page).getByRole('button', { name: 'Next ›' }).click();
      await expect(page.getByTestId('page-number')).toHaveText('Page 2');
      await settled(page);
      const secondPage = await page.getByTestId('result-row').first().getAttribute('data-event-id');
      expect(secondPage).not.toBe(firstPage);
      await results(page).getByRole('button', { name: 'Move event.action left' }).click();
      await expect(results(page).locator('th[data-column]').nth(0)).toHaveAttribute('data-column', 'event.action');

      await page.reload();
      await expect(queryInput(page)).toHaveValue('event.outcome:success');
      await expect(page.getByTestId('page-number')).toHaveText('Page 2');
      await expect(page.getByTestId('result-row').first()).toHaveAttribute('data-event-id', secondPage!);
      await expect(results(page).locator('th[data-column]').nth(0)).toHaveAttribute('data-column', 'event.action');
      await results(page).getByRole('button', { name: '‹ Previous' }).click();
      await expect(page.getByTestId('result-row').first()).toHaveAttribute('data-event-id', firstPage!);
    });

    test('a saved search opens again with its query and range', async ({ page }) => {
      const name = `decrypt failures ${backend} ${Date.now()}`;
      const query = 'event.action:Decrypt and event.outcome:failure';
      await page.goto(`/security?${range}&query=${encodeURIComponent(query)}`);
      await settled(page);
      await page.getByRole('button', { name: 'Save search' }).click();
      await page.getByRole('form', { name: 'Save this search' }).getByLabel('name').fill(name);
      await page.getByRole('form', { name: 'Save this search' }).getByRole('button', { name: 'Save' }).click();
      const picker = page.getByRole('combobox', { name: 'Saved searches' });
      await expect(picker.locator('option', { hasText: name })).toHaveCount(1);

      await page.goto('/security?range=1h');
      await settled(page);
      await page.getByRole('combobox', { name: 'Saved searches' }).selectOption({ label: name });
      await expect(queryInput(page)).toHaveValue(query);
      expect(viewOfUrl(page)).toEqual({ ...DATA_RANGE, query });
      await expectTotalAsStore(page);
      await page.getByRole('button', { name: 'Delete' }).click();
      await expect(page.getByRole('combobox', { name: 'Saved searches' }).locator('option', { hasText: name })).toHaveCount(0);
    });

    test('the CSV download has one row per matching event', async ({ page }) => {
      // A facet value with an exact total (under the cap) keeps the file small and the count checkable.
      const facets = await store.answer(auditFacets, auditFacets.params.parse({ ...DATA_RANGE }));
      const pick = facets.facets.find((f) => f.field === 'event.action')!.values.filter((v) => v.count < 5000).sort((a, b) => b.count - a.count)[0]!;
      const query = `event.action:"${pick.value}"`;
      await page.goto(`/security?${range}&query=${encodeURIComponent(query)}`);
      const total = await expectTotalAsStore(page);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
      const [header, ...rows] = parseCsv(readFileSync((await download.path())!, 'utf8'));
      expect(header).toEqual(await results(page).locator('th[data-column]').evaluateAll((ths) => ths.map((t) => t.getAttribute('data-column'))));
      expect(rows).toHaveLength(total);
    });

    test('an empty range says nothing matches', async ({ page }) => {
      await page.goto(`/security?from=${EMPTY_RANGE.from}&to=${EMPTY_RANGE.to}&query=${encodeURIComponent('event.action:Decrypt')}`);
      await settled(page);
      await expect(results(page)).toHaveAttribute('data-state', 'empty');
      await expect(results(page)).toContainText('No events match “event.action:Decrypt”');
      await expect(page.getByTestId('audit-histogram')).toContainText('No events match in this range.');
      await shot(page, 'security-empty');
    });
  });
}

test('panels show that they are loading while answers are on their way', async ({ page }) => {
  await page.goto(`/security?${range}`);
  await settled(page);
  await page.route('**/api/questions/**', () => {
    // Never answered: the picture is of the waiting state.
  });
  await page.getByRole('button', { name: 'Filter for event.outcome success', exact: true }).click();
  await expect(results(page)).toHaveAttribute('data-state', 'loading');
  await expect(page.getByTestId('audit-facets')).toHaveAttribute('data-state', 'loading');
  await page.screenshot({ path: `${DIR}/security-loading.png`, fullPage: true });
});

test.describe('with an unreadable store', () => {
  test.use({ server: 'brokenStore' });
  test('each panel shows the error and the page says the store is unavailable', async ({ page, consoleErrors }) => {
    consoleErrors.allow(/status of 500/);
    await page.goto(`/security?${range}`);
    await expect(page.getByTestId('store-unavailable')).toBeVisible();
    for (const id of ['audit-results', 'audit-histogram', 'audit-facets']) await expect(page.getByTestId(id)).toHaveAttribute('data-state', 'error');
    await expect(results(page)).toContainText('HTTP 500');
    await expect(page.locator('body')).not.toContainText(/\/(tmp|work|home)\//);
    await page.screenshot({ path: `${DIR}/security-error.png`, fullPage: true });
  });
});

test.describe('a viewer', () => {
  test.use({ role: 'viewer' });
  test('is refused the security page', async ({ page, consoleErrors }) => {
    consoleErrors.allow(/status of 403/);
    await page.goto('/security');
    await expect(page.getByTestId('forbidden')).toBeVisible();
  });
});
