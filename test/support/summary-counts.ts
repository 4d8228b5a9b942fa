export type TestCounts = { passed: number; failed: number; skipped: number };

/** The closing line CI reads: `N passed, N failed, N skipped`. */
export const summaryLine = (c: TestCounts): string => `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
