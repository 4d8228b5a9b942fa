import { toMs } from '../../../queries/common';
import { topFailures, type FailureBreakdownParams, type FailureBreakdownResult } from '../../../queries/failure-breakdown';
import type { StatementCache } from '../statement-cache';
import { failureGroupsSql } from '../sql/failures';

export function readFailureBreakdown(cache: StatementCache, p: FailureBreakdownParams): FailureBreakdownResult {
  const groups = cache.all<{ key: string; count: number }>(failureGroupsSql(p.by, p.operation, p.filters, toMs(p.from), toMs(p.to)));
  return topFailures(p.by, groups, p.limit);
}
