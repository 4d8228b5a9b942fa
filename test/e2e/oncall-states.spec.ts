import { DATA_RANGE, EMPTY_RANGE } from './support/dataset';
import { PANELS } from './pages/oncall-page';
import { expect, test } from './support/fixtures';

test.describe('on-call states', () => {
  test('a range without data shows empty states, not zeros', async ({ oncall }) => {
    await oncall.goto(EMPTY_RANGE);
    await oncall.waitSettled(['empty', 'ready']);
    for (const id of PANELS.filter((p) => p !== 'ingest-health')) {
      await expect(oncall.panel(id)).toHaveAttribute('data-state', 'empty');
      await expect(oncall.panel(id)).toContainText(/No .* in this range/);
    }
    await expect(oncall.sloCard('unwrap-success')).toHaveAttribute('data-state', 'empty');
    await expect(oncall.sloCard('unwrap-success')).toContainText('No unwraps in the 30-day window');
    // Ingest health is about now, not the range: the sources are still listed.
    await expect(oncall.panel('ingest-health')).toHaveAttribute('data-state', 'ready');
  });

  test('an inverted range is a 400 the panels explain', async ({ oncall, consoleErrors }) => {
    consoleErrors.allow(/status of 400/);
    await oncall.goto({ from: DATA_RANGE.to, to: DATA_RANGE.from });
    await oncall.waitSettled(['error', 'ready', 'empty']);
    const panel = oncall.panel('unwrap-latency');
    await expect(panel).toHaveAttribute('data-state', 'error');
    await expect(panel.getByRole('alert')).toContainText('HTTP 400, bad request');
    await expect(panel.getByRole('alert')).toContainText('`to` must be after `from`');
    // A bad request is not retried: no Retry button.
    await expect(panel.getByRole('button', { name: 'Retry' })).toHaveCount(0);
    await expect(oncall.page.getByRole('toolbar', { name: 'View' })).toContainText('This range ends before it starts');
  });

  test('route handlers answer 400 naming each bad parameter', async ({ request }) => {
    const res = await request.get('/api/questions/latencyPercentiles?from=yesterday&to=2026-03-02T12:00:00Z&sql=1');
    expect(res.status()).toBe(400);
    const body = (await res.json()) as { error: { code: string; issues: { path: string }[] } };
    expect(body.error.code).toBe('invalid_params');
    const paths = body.error.issues.map((i) => i.path);
    expect(paths).toContain('from');
    expect(paths).toContain('(query)'); // the unknown `sql` key
    expect((await request.get('/api/questions/sloStatus?sloId=nope&now=2026-03-02T12:00:00Z')).status()).toBe(404);
  });

  test('panels show a loading state while answers are on their way', async ({ oncall, page }) => {
    await oncall.goto(DATA_RANGE);
    await oncall.waitSettled(['ready']);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/questions/**', async (route) => {
      await held;
      await route.continue();
    });
    await oncall.choosePreset('7d');
    await expect(oncall.panel('unwrap-latency')).toHaveAttribute('data-state', 'loading');
    await expect(oncall.panel('unwrap-latency')).toContainText('Loading…');
    release();
    await oncall.waitSettled();
  });
});

test.describe('without a database', () => {
  test.use({ server: 'noDatabase' });

  test('the page says there is no data yet and how to get some', async ({ oncall, page }) => {
    await oncall.goto();
    await expect(page.getByTestId('no-data-yet')).toContainText('No data yet');
    await expect(page.getByTestId('no-data-yet')).toContainText('npm run demo');
    await expect(page.getByTestId('no-data-yet')).toContainText('npm run ingest');
  });

  test('the API says 503 no_data_yet', async ({ request }) => {
    const res = await request.get('/api/questions/filterValues?from=2026-03-02T10:00:00Z&to=2026-03-02T12:00:00Z');
    expect(res.status()).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('no_data_yet');
  });
});

test.describe('with an unreadable store', () => {
  test.use({ server: 'brokenStore' });

  test('the page stays up and every panel shows the error', async ({ oncall, page, consoleErrors }) => {
    consoleErrors.allow(/status of 500/);
    await oncall.goto(DATA_RANGE);
    await expect(page.getByTestId('store-unavailable')).toContainText('The store cannot be read');
    await oncall.waitSettled(['error']);
    await expect(oncall.errorPanels().first()).toContainText('HTTP 500');
    await expect(oncall.panel('unwrap-latency').getByRole('button', { name: 'Retry' })).toBeVisible();
  });
});
