import { mkdirSync } from 'node:fs';
import { DATA_RANGE, EMPTY_RANGE } from './support/dataset';
import { expect, test } from './support/fixtures';

/**
 * The pictures in docs/screenshots (`npm run screenshots`), taken from the same seeded
 * servers the tests use. Not assertions about pixels: a person looks at them.
 */
const DIR = 'docs/screenshots';
mkdirSync(DIR, { recursive: true });
/** Ends inside the KMS outage, so the README shows a paging SLO and the failures behind it. */
const OUTAGE_RANGE = { from: DATA_RANGE.from, to: '2026-03-02T11:00:00Z' };

test.describe.configure({ mode: 'serial' });

test('on-call with data', async ({ oncall, page }) => {
  await oncall.goto(OUTAGE_RANGE);
  await oncall.waitSettled(['ready']);
  await page.screenshot({ path: `${DIR}/oncall.png`, fullPage: true });
});

test('on-call, empty range', async ({ oncall, page }) => {
  await oncall.goto(EMPTY_RANGE);
  await oncall.waitSettled(['empty', 'ready']);
  await page.screenshot({ path: `${DIR}/oncall-empty.png`, fullPage: true });
});

test('on-call while loading', async ({ oncall, page }) => {
  await oncall.goto(DATA_RANGE);
  await oncall.waitSettled(['ready']);
  await page.route('**/api/questions/**', () => {
    // Never answered: the picture is of the waiting state.
  });
  await oncall.choosePreset('7d');
  await expect(oncall.panel('unwrap-latency')).toHaveAttribute('data-state', 'loading');
  await page.screenshot({ path: `${DIR}/oncall-loading.png`, fullPage: true });
});

test('on-call, bad request', async ({ oncall, page, consoleErrors }) => {
  consoleErrors.allow(/status of 400/);
  await oncall.goto({ from: DATA_RANGE.to, to: DATA_RANGE.from });
  await oncall.waitSettled(['error', 'ready', 'empty']);
  await page.screenshot({ path: `${DIR}/oncall-bad-request.png`, fullPage: true });
});

test.describe('broken store', () => {
  test.use({ server: 'brokenStore' });
  test('on-call, store error', async ({ oncall, page, consoleErrors }) => {
    consoleErrors.allow(/status of 500/);
    await oncall.goto(DATA_RANGE);
    await oncall.waitSettled(['error']);
    await page.screenshot({ path: `${DIR}/oncall-error.png`, fullPage: true });
  });
});

test.describe('no database', () => {
  test.use({ server: 'noDatabase' });
  test('on-call, no data yet', async ({ oncall, page }) => {
    await oncall.goto();
    await expect(page.getByTestId('no-data-yet')).toBeVisible();
    await page.screenshot({ path: `${DIR}/oncall-no-data.png`, fullPage: true });
  });
});

test.describe('signed out', () => {
  test.use({ role: null });
  test('sign-in page', async ({ page, consoleErrors }) => {
    consoleErrors.allow(/status of 401/);
    await page.goto('/oncall');
    await expect(page.getByRole('heading', { name: 'Sign in to keyscope' })).toBeVisible();
    await page.screenshot({ path: `${DIR}/sign-in.png`, fullPage: true });
  });
});

test.describe('a viewer', () => {
  test.use({ role: 'viewer' });
  test('refused the security page', async ({ page, consoleErrors }) => {
    consoleErrors.allow(/status of 403/);
    await page.goto('/security');
    await expect(page.getByTestId('forbidden')).toBeVisible();
    await page.screenshot({ path: `${DIR}/refused.png`, fullPage: true });
  });
});
