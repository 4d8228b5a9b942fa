import { expect, type Locator, type Page } from '@playwright/test';

export const PANELS = ['unwrap-latency', 'unwrap-success', 'failure-breakdown', 'dek-cache-hit', 'kms-throttling', 'ingest-health'] as const;
export type PanelId = (typeof PANELS)[number];

export type OnCallParams = Partial<Record<'range' | 'from' | 'to' | 'service' | 'tenant' | 'kek' | 'refresh' | 'failuresBy', string>>;

/** The /oncall page as a user sees it: toolbar, SLO cards, panels; waits on data-state, never on time. */
export class OnCallPage {
  constructor(readonly page: Page) {}

  async goto(params: OnCallParams = {}): Promise<void> {
    const qs = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined) as [string, string][]);
    await this.page.goto(`/oncall${qs.size ? `?${qs}` : ''}`);
  }

  panel(id: PanelId): Locator {
    return this.page.getByTestId(id);
  }

  sloCard(sloId: string): Locator {
    return this.page.getByTestId(`slo-card-${sloId}`);
  }

  /** Waits until every panel and SLO card has settled in one of the given states, with no request in flight. */
  async waitSettled(states: readonly string[] = ['ready', 'empty', 'error']): Promise<void> {
    const settled = new RegExp(`^(${states.join('|')}|ok|missed|ticket|page|out-of-scope)$`);
    for (const id of PANELS) {
      await expect(this.panel(id)).toHaveAttribute('data-state', settled);
      await expect(this.panel(id)).toHaveAttribute('aria-busy', 'false');
    }
    for (const card of await this.page.locator('[data-testid^="slo-card-"]').all()) await expect(card).toHaveAttribute('data-state', settled);
  }

  /** The raw number an element carries in data-value (null for a gap), and its visible text. */
  async valueOf(testId: string): Promise<{ value: number | null; text: string }> {
    const el = this.page.getByTestId(testId);
    const raw = await el.getAttribute('data-value');
    return { value: raw === null || raw === '' ? null : Number(raw), text: (await el.textContent())?.trim() ?? '' };
  }

  filter(name: 'service' | 'tenant' | 'kek'): Locator {
    return this.page.getByRole('toolbar', { name: 'View' }).locator(`select[name="${name}"]`);
  }

  async chooseFilter(name: 'service' | 'tenant' | 'kek', value: string): Promise<void> {
    await this.filter(name).selectOption(value);
    await expect(this.page).toHaveURL(new RegExp(`[?&]${name}=`));
  }

  async choosePreset(preset: string): Promise<void> {
    await this.page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: preset, exact: true }).click();
  }

  async groupFailuresBy(label: 'Error class' | 'Service' | 'KEK'): Promise<void> {
    await this.page.getByRole('group', { name: 'Group failures by' }).getByRole('button', { name: label, exact: true }).click();
  }

  errorPanels(): Locator {
    return this.page.getByTestId('error-panel');
  }
}
