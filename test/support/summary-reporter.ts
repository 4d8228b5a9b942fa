import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { summaryLine, type TestCounts } from './summary-counts';

/**
 * Prints the plain closing line ("N passed, N failed, N skipped") that CI reads, after
 * vitest's own report; under `npm test` also leaves the counts for its total.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const c: TestCounts = { passed: 0, failed: 0, skipped: 0 };
    for (const mod of testModules) {
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) c.failed += 1;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') c.passed += 1;
        else if (state === 'failed') c.failed += 1;
        else c.skipped += 1;
      }
    }
    process.stdout.write(`\n${summaryLine(c)}\n`);
    const dir = process.env.KEYSCOPE_TEST_SUMMARY_DIR;
    if (dir) writeFileSync(join(dir, `vitest-${process.pid}.json`), JSON.stringify(c));
  }
}
