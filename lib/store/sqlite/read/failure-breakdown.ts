import { toMs } from '../../../queries/common';
import { topFailures, type FailureBreakdownParams, type FailureBreakdownResult } from '../../../queries/failure-breakdown';
import type { ReadSession } from '../read-pool/read-session';
import { failureGroupsSql } from '../sql/failures';

export async function readFailureBreakdown(s: ReadSession, p: FailureBreakdownParams): Promise<FailureBreakdownResult> {
  const groups = await s.all<{ key: string; count: number }>(failureGroupsSql(p.by, p.operation, p.filters, toMs(p.from), toMs(p.to)));
  return topFailures(p.by, groups, p.limit);
}
