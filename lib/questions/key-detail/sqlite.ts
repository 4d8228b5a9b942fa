import type { KeyState } from '../../model/key-state';
import { auditFacetsSql } from '../../store/sqlite/sql/audit-facets';
import type { ReadSession } from '../../store/sqlite/read-pool/read-session';
import type { SqliteAnswerOf } from '../define';
import { dekRecordsByVersion, keyOfState, type keyDetailQuestion, type KeyDetailParams, type KeyDetailResult } from './definition';
import { dekRecordsSql, keyChangesCountSql, keyChangesSql, keyInAuditSql, keyStateSql } from './sqlite-sql';
import { topListsFromFacetRows, type TopList } from './top-lists';

type FacetRow = { field: string; value: string | null; count: number; failures: number };
type ChangeRow = { id: string; time_ms: number; event_name: string; principal: string | null; source_ip: string | null; success: number; error_code_written: string | null };

const EMPTY: TopList = { values: [], other: 0 };

export async function readKeyDetail(s: ReadSession, p: KeyDetailParams): Promise<KeyDetailResult> {
  const from = Date.parse(p.from);
  const to = Date.parse(p.to);
  const state = await s.get<{ doc: string }>(keyStateSql(p.keyArn));
  const seen = (await s.get<{ seen: number }>(keyInAuditSql(p.keyArn)))?.seen === 1;
  // The key's hourly facet rollups answer whole hours; the partial hours at the ends are scanned.
  const facets = topListsFromFacetRows(await s.all<FacetRow>(auditFacetsSql({ kind: 'term', field: 'kms.key.arn', value: p.keyArn }, { fromMs: from, toMs: to }, p.top)));
  const total = facets.get('')?.values[0];
  const changes = (await s.all<ChangeRow>(keyChangesSql(p.keyArn, from, to, p.changes))).map((r) => ({
    id: r.id, time: new Date(r.time_ms).toISOString(), action: r.event_name, principal: r.principal, source: r.source_ip,
    outcome: r.success === 1 ? ('success' as const) : ('failure' as const), errorCode: r.error_code_written,
  }));
  const changeTotal = (await s.get<{ n: number }>(keyChangesCountSql(p.keyArn, from, to)))?.n ?? 0;
  const dek = await s.all<{ version: string | null; status: string; n: number }>(dekRecordsSql(p.keyArn));
  return {
    key: state === undefined ? null : keyOfState(JSON.parse(state.doc) as KeyState),
    inAuditTrail: seen,
    totals: { calls: total?.count ?? 0, failures: total?.failures ?? 0 },
    principals: facets.get('keyscope.principal.caller') ?? EMPTY,
    sources: facets.get('source.ip') ?? EMPTY,
    userAgents: facets.get('user_agent.original') ?? EMPTY,
    errors: facets.get('error.code') ?? EMPTY,
    actions: facets.get('event.action') ?? EMPTY,
    dekRecords: dekRecordsByVersion(dek),
    changes: { items: changes, total: changeTotal, truncated: changeTotal > changes.length },
  };
}

export const sqliteAnswer: SqliteAnswerOf<typeof keyDetailQuestion> = (ctx, p) => ctx.session((s) => readKeyDetail(s, p));
