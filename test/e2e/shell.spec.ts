import { PAGES } from '../../components/pages';
import { expect, test } from './support/fixtures';

test.describe('dashboard shell', () => {
  test('the home page lists every page', async ({ page, shell }) => {
    await page.goto('/');
    for (const p of PAGES) await expect(page.getByRole('main').getByRole('link', { name: p.label, exact: true })).toBeVisible();
    await expect(shell.currentLink()).toHaveCount(0);
  });

  // The pages already built have their own specs; the rest still say what they will show.
  const BUILT: readonly string[] = ['/oncall', '/security', '/keys'];
  for (const p of PAGES.filter((x) => !BUILT.includes(x.href))) {
    test(`${p.label} says what it will show and marks itself in the nav`, async ({ page, shell }) => {
      await page.goto('/');
      await shell.link(p.label).click();
      await expect(page).toHaveURL(new RegExp(`${p.href}$`));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(p.label);
      await expect(page.getByText('Coming next')).toBeVisible();
      await expect(page.getByRole('heading', { name: 'It will show' })).toBeVisible();
      await expect(shell.currentLink()).toHaveText(p.label);
      await expect(page).toHaveTitle(`${p.label} · keyscope`);
    });
  }

  test('the nav reaches the on-call page', async ({ page, shell, oncall }) => {
    await page.goto('/security');
    await shell.link('On-call').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('On-call');
    await expect(shell.currentLink()).toHaveText('On-call');
    await oncall.waitSettled();
  });
});
