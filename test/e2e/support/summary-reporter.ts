import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import type { TestCounts } from '../../support/summary-counts';

/** Under `npm test`, leaves the browser tier's counts for the run's total (scripts/test/run-all.mjs). */
export default class SummaryReporter implements Reporter {
  private readonly last = new Map<TestCase, TestResult['status']>();

  onTestEnd(test: TestCase, result: TestResult): void {
    this.last.set(test, result.status);
  }

  onEnd(_result: FullResult): void {
    const dir = process.env.KEYSCOPE_TEST_SUMMARY_DIR;
    if (!dir) return;
    const c: TestCounts = { passed: 0, failed: 0, skipped: 0 };
    // A test retried to a pass counts once, as passed (Playwright calls it flaky).
    for (const status of this.last.values()) {
      if (status === 'passed') c.passed += 1;
      else if (status === 'skipped') c.skipped += 1;
      else c.failed += 1;
    }
    writeFileSync(join(dir, `playwright-${process.pid}.json`), JSON.stringify(c));
  }
}
