import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { formatCount } from '../../lib/dashboard/format';
import { keyDetail, keyInventory, principalDetail } from '../../lib/questions/registry';
import type { Store } from '../../lib/store';
import { DATA_RANGE } from './support/dataset';
import { expect, test } from './support/fixtures';
import { openDatasetStore } from './support/store-answers';

/** The key and principal pages over the seeded dataset; expectations are the store's own answers for the same range. */
const DIR = 'docs/screenshots';
mkdirSync(DIR, { recursive: true });
const range = `from=${DATA_RANGE.from}&to=${DATA_RANGE.to}`;
const UNKNOWN_KEY = 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-000000000000';

let store: Store;
test.beforeAll(async () => {
  store = await openDatasetStore();
});
test.afterAll(async () => store.close());

const settled = (page: Page, id: string) => expect(page.getByTestId(id)).toHaveAttribute('data-state', /ready|empty|error/);

test('keys list → key page → principal page → back to the key, numbers as the store answers', async ({ page }) => {
  const inv = await store.answer(keyInventory, keyInventory.params.parse({ ...DATA_RANGE }));
  expect(inv.keys.length).toBeGreaterThan(0);
  await page.goto(`/keys?${range}`);
  await expect(page.getByTestId('key-list')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('key-row')).toHaveCount(inv.keys.length);
  await page.screenshot({ path: `${DIR}/keys.png`, fullPage: true });

  const busiest = [...inv.keys].sort((a, b) => (b.topPrincipals[0]?.calls ?? 0) - (a.topPrincipals[0]?.calls ?? 0))[0]!;
  await page.getByTestId('key-row').filter({ hasText: busiest.keyId }).getByRole('link').first().click();
  await expect(page).toHaveURL(new RegExp(`/keys/${encodeURIComponent(busiest.keyArn).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  await expect(page.getByTestId('key-page')).toHaveAttribute('data-state', 'ready');
  const d = await store.answer(keyDetail, keyDetail.params.parse({ ...DATA_RANGE, keyArn: busiest.keyArn }));
  await expect(page.getByTestId('key-calls')).toHaveAttribute('data-value', String(d.totals.calls));
  await expect(page.getByTestId('key-calls')).toHaveText(formatCount(d.totals.calls));
  await expect(page.getByTestId('key-state-name')).toContainText(d.key!.state);
  await expect(page.getByTestId('key-usage')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('key-usage').locator('svg.recharts-surface').first()).toBeVisible();
  // Each value searches /security with its query and the page's range.
  const search = page.getByTestId('principals-search').first();
  await expect(search).toHaveAttribute('href', new RegExp(`^/security\\?query=keyscope.principal.caller%3A%22${encodeURIComponent(d.principals.values[0]!.value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}%22&from=`));
  await page.screenshot({ path: `${DIR}/key.png`, fullPage: true });

  const top = d.principals.values[0]!.value;
  await page.getByTestId('principals-pivot').first().click();
  await expect(page.getByTestId('principal-page')).toHaveAttribute('data-state', 'ready');
  const p = await store.answer(principalDetail, principalDetail.params.parse({ ...DATA_RANGE, principal: top, now: DATA_RANGE.to }));
  await expect(page.getByTestId('principal-calls')).toHaveAttribute('data-value', String(p.totals.calls));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(top);
  await expect(page.getByTestId('keys')).toContainText(busiest.keyArn);
  await page.screenshot({ path: `${DIR}/principal.png`, fullPage: true });

  await page.getByTestId('keys').getByRole('row').filter({ hasText: busiest.keyArn }).getByTestId('keys-pivot').click();
  await expect(page.getByTestId('key-page')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('key-calls')).toHaveAttribute('data-value', String(d.totals.calls));
});

test('the keys list filters by Region and state from the URL', async ({ page }) => {
  const inv = await store.answer(keyInventory, keyInventory.params.parse({ ...DATA_RANGE }));
  const k = inv.keys[0]!;
  await page.goto(`/keys?${range}&region=${k.region}&state=${k.state}`);
  await expect(page.getByTestId('key-list')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('key-row')).toHaveCount(inv.keys.filter((x) => x.region === k.region && x.state === k.state).length);
  await page.goto(`/keys?${range}&state=PendingImport`);
  await expect(page.getByTestId('key-list')).toContainText(inv.keys.some((x) => x.state === 'PendingImport') ? '' : 'No keys in the inventory match these filters.');
});

test('a key in neither the audit trail nor the inventory, and an unknown principal', async ({ page }) => {
  await page.goto(`/keys/${encodeURIComponent(UNKNOWN_KEY)}?${range}`);
  await expect(page.getByTestId('key-page')).toHaveAttribute('data-state', 'empty');
  await expect(page.getByTestId('key-page')).toContainText(`No key ${UNKNOWN_KEY} in the audit trail or inventory`);
  await page.screenshot({ path: `${DIR}/key-empty.png`, fullPage: true });
  await page.goto(`/principals/${encodeURIComponent('arn:aws:iam::111122223333:role/nobody')}?${range}`);
  await expect(page.getByTestId('principal-page')).toContainText('No principal arn:aws:iam::111122223333:role/nobody in the audit trail');
});

test('the key page shows a loading state while its answer is on its way', async ({ page }) => {
  const inv = await store.answer(keyInventory, keyInventory.params.parse({ ...DATA_RANGE }));
  await page.goto(`/keys/${encodeURIComponent(inv.keys[0]!.keyArn)}?${range}`);
  await settled(page, 'key-page');
  await page.route('**/api/questions/**', () => {
    // Never answered: the picture is of the waiting state.
  });
  await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '30d' }).click();
  await expect(page.getByTestId('key-page')).toHaveAttribute('data-state', 'loading');
  await page.screenshot({ path: `${DIR}/key-loading.png`, fullPage: true });
});

test.describe('with an unreadable store', () => {
  test.use({ server: 'brokenStore' });
  test('the key page shows the error', async ({ page, consoleErrors }) => {
    consoleErrors.allow(/status of 500/);
    await page.goto(`/keys/${encodeURIComponent(UNKNOWN_KEY)}?${range}`);
    await expect(page.getByTestId('store-unavailable')).toBeVisible();
    await expect(page.getByTestId('key-page')).toHaveAttribute('data-state', 'error');
    await expect(page.getByTestId('key-page')).toContainText('HTTP 500');
    await page.screenshot({ path: `${DIR}/key-error.png`, fullPage: true });
  });
});

test.describe('without a database', () => {
  test.use({ server: 'noDatabase' });
  test('the principal page says there is no data yet', async ({ page }) => {
    await page.goto(`/principals/${encodeURIComponent('arn:aws:iam::111122223333:role/app')}`);
    await expect(page.getByTestId('no-data-yet')).toBeVisible();
  });
});

test.describe('a viewer', () => {
  test.use({ role: 'viewer' });
  test('is refused the key pages', async ({ page, consoleErrors }) => {
    consoleErrors.allow(/status of 403/);
    await page.goto('/keys');
    await expect(page.getByTestId('forbidden')).toBeVisible();
  });
});
