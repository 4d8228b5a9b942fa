import { auditFacetsSql } from '../../store/sqlite/sql/audit-facets';
import { principalSeenSql } from '../../store/sqlite/sql/audit-principal';
import type { ReadSession } from '../../store/sqlite/read-pool/read-session';
import type { SqliteAnswerOf } from '../define';
import { topListsFromFacetRows, type TopList } from '../key-detail/top-lists';
import { iso, newSightings, newWindow, type principalDetailQuestion, type PrincipalDetailParams, type PrincipalDetailResult } from './definition';

type FacetRow = { field: string; value: string | null; count: number; failures: number };
type SeenRow = { field: string; value: string; first_ms: number; last_ms: number; count: number };
type IdentityRow = { type: string | null; account: string | null };

const EMPTY: TopList = { values: [], other: 0 };

/** The principal's latest event, by ix_audit_events_caller_time. */
function identitySql(principal: string) {
  return {
    sql: `SELECT json_extract(doc, '$.principal.type') AS type, json_extract(doc, '$.principal.accountId') AS account FROM audit_events
      WHERE principal = @p ORDER BY time_ms DESC, id DESC LIMIT 1`,
    params: { p: principal },
  };
}

export async function readPrincipalDetail(s: ReadSession, p: PrincipalDetailParams): Promise<PrincipalDetailResult> {
  const range = { fromMs: Date.parse(p.from), toMs: Date.parse(p.to) };
  // The principal's hourly facet rollups answer whole hours of the range.
  const facets = topListsFromFacetRows(await s.all<FacetRow>(auditFacetsSql({ kind: 'term', field: 'keyscope.principal.caller', value: p.principal }, range, p.top)));
  const seenRows = await s.all<SeenRow>(principalSeenSql(p.principal, newWindow(p).sinceMs));
  const all = seenRows.find((r) => r.field === '');
  const identity = await s.get<IdentityRow>(identitySql(p.principal));
  const total = facets.get('')?.values[0];
  const fresh = newSightings(seenRows.map((r) => ({ field: r.field, value: r.value, first: r.first_ms, last: r.last_ms, count: r.count })), p);
  return {
    seen: all === undefined ? null : { firstSeen: iso(all.first_ms), lastSeen: iso(all.last_ms), count: all.count },
    identity: identity === undefined ? null : { type: (identity.type ?? 'Unknown') as NonNullable<PrincipalDetailResult['identity']>['type'], accountId: identity.account },
    totals: { calls: total?.count ?? 0, failures: total?.failures ?? 0 },
    keys: facets.get('kms.key.arn') ?? EMPTY,
    sources: facets.get('source.ip') ?? EMPTY,
    userAgents: facets.get('user_agent.original') ?? EMPTY,
    regions: facets.get('cloud.region') ?? EMPTY,
    errors: facets.get('error.code') ?? EMPTY,
    actions: facets.get('event.action') ?? EMPTY,
    newSince: iso(newWindow(p).sinceMs),
    newItems: fresh.items,
    newTruncated: fresh.truncated,
  };
}

export const sqliteAnswer: SqliteAnswerOf<typeof principalDetailQuestion> = (ctx, p) => ctx.session((s) => readPrincipalDetail(s, p));
