import type { Locator, Page } from '@playwright/test';

/** The dashboard frame: the top navigation every page shares. */
export class ShellPage {
  constructor(readonly page: Page) {}

  nav(): Locator {
    return this.page.getByRole('navigation', { name: 'Main' });
  }

  link(label: string): Locator {
    return this.nav().getByRole('link', { name: label, exact: true });
  }

  currentLink(): Locator {
    return this.nav().locator('[aria-current="page"]');
  }
}
