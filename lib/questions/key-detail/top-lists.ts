import { z } from 'zod';
import type { estypes } from '@elastic/elasticsearch';
import { allCompositeBuckets, type Searcher } from '../../store/elasticsearch/search';
import { term, type Query } from '../../store/elasticsearch/queries/common';

const Count = z.number().int().nonnegative();

/** The most frequent values of one field over a page's events, by count then value; `other` counts the rest (events without a value are in neither). */
export const TopListSchema = z.object({
  values: z.array(z.object({ value: z.string(), count: z.number().int().positive(), failures: Count })),
  other: Count,
});
export type TopList = z.infer<typeof TopListSchema>;

/** The fields the key and principal pages rank, as catalog names (lib/query-language/fields.ts). */
export const TOP_FIELDS = ['keyscope.principal.caller', 'source.ip', 'user_agent.original', 'cloud.region', 'kms.key.arn', 'error.code', 'event.action'] as const;
export type TopField = (typeof TOP_FIELDS)[number];

/** The Elasticsearch document field of each (documents.ts auditEventDoc; error.code as written, as the catalog has it). */
export const TOP_FIELD_ES: Readonly<Record<TopField, string>> = {
  'keyscope.principal.caller': 'keyscope.principal.caller',
  'source.ip': 'source.ip',
  'user_agent.original': 'user_agent.original',
  'cloud.region': 'cloud.region',
  'kms.key.arn': 'keyscope.kek.arn',
  'error.code': 'aws.cloudtrail.error_code',
  'event.action': 'event.action',
};

type Cell = { value: string; count: number; failures: number };

/** Ranks every value's cell into a top list (count descending, then value ascending as SQLite and keywords order). */
export function rankTop(cells: readonly Cell[], top: number): TopList {
  const sorted = [...cells].filter((c) => c.count > 0).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { values: sorted.slice(0, top), other: sorted.slice(top).reduce((s, c) => s + c.count, 0) };
}

/** Cells of audit_facets SQL rows (field, value, count, failures; value NULL for "other") into top lists per field. */
export function topListsFromFacetRows(rows: ReadonlyArray<{ field: string; value: string | null; count: number; failures: number }>): Map<string, TopList> {
  const out = new Map<string, TopList>();
  for (const r of rows) {
    const list = out.get(r.field) ?? { values: [], other: 0 };
    if (r.value === null) list.other += r.count;
    else list.values.push({ value: r.value, count: r.count, failures: r.failures });
    out.set(r.field, list);
  }
  return out;
}

/** One composite page of (value → count, failures) over the filtered events. */
export function fieldCellsRequest(index: string, filter: Query[], field: string, after?: Record<string, estypes.FieldValue>): estypes.SearchRequest {
  return {
    index, ignore_unavailable: true, allow_no_indices: true, size: 0,
    query: { bool: { filter } },
    aggs: {
      cells: {
        composite: { size: 1000, sources: [{ v: { terms: { field } } }], ...(after ? { after } : {}) },
        aggs: { failures: { filter: term('event.outcome', 'failure') } },
      },
    },
  };
}

/** Every value of `field` counted exactly (composite pages), then ranked. */
export async function esTopList(search: Searcher, index: string, filter: Query[], field: string, top: number): Promise<TopList> {
  const buckets = await allCompositeBuckets(search, (after) => fieldCellsRequest(index, filter, field, after), 'cells');
  return rankTop(buckets.map((b) => ({ value: String(b.key.v), count: b.doc_count, failures: (b.failures as { doc_count: number }).doc_count })), top);
}
