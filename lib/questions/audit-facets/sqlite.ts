import { CONTEXT_KEYS_FACET } from '../../store/sqlite/sql/audit-columns';
import { auditFacetsSql } from '../../store/sqlite/sql/audit-facets';
import type { SqliteAnswerOf } from '../define';
import { AUDIT_FACETS, type AuditFacet, type auditFacetsQuestion } from './definition';
import { facetsResult, type FacetCounts } from './shape';
import { contextMissingSql } from './sqlite-sql';

type Row = { field: string; value: string | null; count: number; failures: number };

export const sqliteAnswer: SqliteAnswerOf<typeof auditFacetsQuestion> = (ctx, p) =>
  ctx.session(async (s) => {
    const range = { fromMs: Date.parse(p.from), toMs: Date.parse(p.to) };
    // Rows come ranked: per field its top values, then one row (value NULL) for the rest; field '' is the total.
    const rows = await s.all<Row>(auditFacetsSql(p.query, range, p.top));
    const total = rows.find((r) => r.field === '')?.count ?? 0;
    const counts = new Map<AuditFacet, FacetCounts>();
    for (const r of rows) {
      if (!(AUDIT_FACETS as readonly string[]).includes(r.field)) continue;
      const c = counts.get(r.field as AuditFacet) ?? { values: [], other: 0, missing: 0 };
      if (r.value === null) c.other = r.count;
      else c.values.push({ value: r.value, count: r.count });
      counts.set(r.field as AuditFacet, c);
    }
    for (const field of AUDIT_FACETS) {
      const c = counts.get(field) ?? { values: [], other: 0, missing: 0 };
      // Single-valued fields: what no value counted is missing. Context keys: counted apart.
      c.missing = field === CONTEXT_KEYS_FACET
        ? ((await s.get<{ n: number }>(contextMissingSql(p.query, range)))?.n ?? 0)
        : total - c.other - c.values.reduce((n, v) => n + v.count, 0);
      counts.set(field, c);
    }
    return facetsResult(counts);
  });
