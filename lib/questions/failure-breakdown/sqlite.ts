import type { SqliteAnswerOf } from '../define';
import type { failureBreakdownQuestion } from './definition';
import { toMs } from '../common';
import { topFailures, type FailureBreakdownParams, type FailureBreakdownResult } from './definition';
import type { ReadSession } from '../../store/sqlite/read-pool/read-session';
import { failureGroupsSql } from './sqlite-sql';

export async function readFailureBreakdown(s: ReadSession, p: FailureBreakdownParams): Promise<FailureBreakdownResult> {
  const groups = await s.all<{ key: string; count: number }>(failureGroupsSql(p.by, p.operation, p.filters, toMs(p.from), toMs(p.to)));
  return topFailures(p.by, groups, p.limit);
}

export const sqliteAnswer: SqliteAnswerOf<typeof failureBreakdownQuestion> = (ctx, p) => ctx.session((s) => readFailureBreakdown(s, p));
