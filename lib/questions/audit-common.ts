import { z } from 'zod';
import type { QueryNode } from '../query-language/ast';
import { parseQuery } from '../query-language/parse';
import { AuditEventSchema } from '../model/audit-event';
import { IsoTime } from './common';

/** Longest audit-search range: the live retention (KEYSCOPE_LIVE_RETENTION_DAYS default 400) rounded up. */
export const MAX_AUDIT_RANGE_MS = 400 * 86_400_000;

/** `from`/`to` of an audit question: `to` after `from`, at most MAX_AUDIT_RANGE_MS. */
export const auditRangeShape = { from: IsoTime, to: IsoTime };
export function checkAuditRange(r: { from: string; to: string }, ctx: z.RefinementCtx): void {
  const span = Date.parse(r.to) - Date.parse(r.from);
  if (!(span > 0)) ctx.addIssue({ code: 'custom', message: '`to` must be after `from`', path: ['to'] });
  else if (span > MAX_AUDIT_RANGE_MS) ctx.addIssue({ code: 'custom', message: 'range must be at most 400 days', path: ['to'] });
}

/**
 * The query bar's text, parsed into its tree at the edge (docs/search-language.md): stores
 * receive the tree as values, never text. A parse error is a 400 whose message names the
 * position (`at 12-18`, UTF-16 offsets) so the page can underline it. A tree passes as is
 * (in-process callers, tests).
 */
const isTree = (v: unknown): v is QueryNode => typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string';
export const AuditQuerySchema = z
  .custom<string | QueryNode>((v) => typeof v === 'string' || isTree(v), 'a query is text')
  .transform((v, ctx): QueryNode => {
    if (typeof v !== 'string') return v;
    if (v.length > 4096) {
      ctx.addIssue({ code: 'custom', message: 'a query may be at most 4,096 characters' });
      return z.NEVER;
    }
    const r = parseQuery(v);
    if (r.ok) return r.tree;
    // One issue, the parser's own words and position (a union would report only "Invalid input").
    ctx.addIssue({ code: 'custom', message: `${r.error.message} (at ${r.error.span.start}-${r.error.span.end})`, params: { span: r.error.span } });
    return z.NEVER;
  });

/** One row of the results table: the normalized event without its raw record (auditEvent has it). */
export const AuditRowSchema = AuditEventSchema.omit({ raw: true });
export type AuditRow = z.infer<typeof AuditRowSchema>;

/** A total as Elasticsearch reports it: exact up to a cap, else "at least". */
export const TotalSchema = z.object({ value: z.number().int().nonnegative(), relation: z.enum(['eq', 'gte']) });
/** Totals are exact up to this many matches, then "at least 10,000" (both stores). */
export const TOTAL_CAP = 10_000;

/** The empty query: every event in the range. */
export const ALL: QueryNode = Object.freeze({ kind: 'all' });
