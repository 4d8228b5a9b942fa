import type { Question, RequestInputOf, ResultOf } from './define';
import { auditEventQuestion } from './audit-event/definition';
import { elasticsearchAnswer as auditEventEs } from './audit-event/elasticsearch';
import { sqliteAnswer as auditEventSqlite } from './audit-event/sqlite';
import { auditFacetsQuestion } from './audit-facets/definition';
import { auditFieldValuesQuestion } from './audit-field-values/definition';
import { elasticsearchAnswer as auditFieldValuesEs } from './audit-field-values/elasticsearch';
import { sqliteAnswer as auditFieldValuesSqlite } from './audit-field-values/sqlite';
import { elasticsearchAnswer as auditFacetsEs } from './audit-facets/elasticsearch';
import { sqliteAnswer as auditFacetsSqlite } from './audit-facets/sqlite';
import { auditHistogramQuestion } from './audit-histogram/definition';
import { elasticsearchAnswer as auditHistogramEs } from './audit-histogram/elasticsearch';
import { sqliteAnswer as auditHistogramSqlite } from './audit-histogram/sqlite';
import { auditSearchQuestion } from './audit-search/definition';
import { elasticsearchAnswer as auditSearchEs } from './audit-search/elasticsearch';
import { sqliteAnswer as auditSearchSqlite } from './audit-search/sqlite';
import { failureBreakdownQuestion } from './failure-breakdown/definition';
import { elasticsearchAnswer as failureBreakdownEs } from './failure-breakdown/elasticsearch';
import { sqliteAnswer as failureBreakdownSqlite } from './failure-breakdown/sqlite';
import { filterValuesQuestion } from './filter-values/definition';
import { elasticsearchAnswer as filterValuesEs } from './filter-values/elasticsearch';
import { sqliteAnswer as filterValuesSqlite } from './filter-values/sqlite';
import { ingestHealthQuestion } from './ingest-health/definition';
import { elasticsearchAnswer as ingestHealthEs } from './ingest-health/elasticsearch';
import { sqliteAnswer as ingestHealthSqlite } from './ingest-health/sqlite';
import { keyInventoryQuestion } from './key-inventory/definition';
import { elasticsearchAnswer as keyInventoryEs } from './key-inventory/elasticsearch';
import { sqliteAnswer as keyInventorySqlite } from './key-inventory/sqlite';
import { kmsThrottlingQuestion } from './kms-throttling/definition';
import { elasticsearchAnswer as kmsThrottlingEs } from './kms-throttling/elasticsearch';
import { sqliteAnswer as kmsThrottlingSqlite } from './kms-throttling/sqlite';
import { latencyPercentilesQuestion } from './latency-percentiles/definition';
import { elasticsearchAnswer as latencyPercentilesEs } from './latency-percentiles/elasticsearch';
import { sqliteAnswer as latencyPercentilesSqlite } from './latency-percentiles/sqlite';
import { sliSeriesQuestion } from './sli-series/definition';
import { elasticsearchAnswer as sliSeriesEs } from './sli-series/elasticsearch';
import { sqliteAnswer as sliSeriesSqlite } from './sli-series/sqlite';
import { sloStatusQuestion } from './slo-status/definition';
import { elasticsearchAnswer as sloStatusEs } from './slo-status/elasticsearch';
import { resolveSloStatusRequest, sloStatusRequest } from './slo-status/request';
import { sqliteAnswer as sloStatusSqlite } from './slo-status/sqlite';
import { keyDetailQuestion } from './key-detail/definition';
import { elasticsearchAnswer as keyDetailEs } from './key-detail/elasticsearch';
import { sqliteAnswer as keyDetailSqlite } from './key-detail/sqlite';
import { keyUsageQuestion } from './key-usage/definition';
import { elasticsearchAnswer as keyUsageEs } from './key-usage/elasticsearch';
import { sqliteAnswer as keyUsageSqlite } from './key-usage/sqlite';
import { principalDetailQuestion } from './principal-detail/definition';
import { elasticsearchAnswer as principalDetailEs } from './principal-detail/elasticsearch';
import { sqliteAnswer as principalDetailSqlite } from './principal-detail/sqlite';
import { withAnswers } from './define';

/**
 * Every question keyscope answers, keyed by name: the one list the generic route
 * (app/api/questions/[name]), both fetchers and the conformance tests are derived from.
 * Adding a question: its folder (definition, sqlite.ts, elasticsearch.ts), one entry
 * here, its test (docs/architecture.md).
 */
export const QUESTIONS = {
  sliSeries: withAnswers(sliSeriesQuestion, { sqlite: sliSeriesSqlite, elasticsearch: sliSeriesEs }),
  sloStatus: withAnswers(sloStatusQuestion, { sqlite: sloStatusSqlite, elasticsearch: sloStatusEs }, { params: sloStatusRequest, resolve: resolveSloStatusRequest }),
  latencyPercentiles: withAnswers(latencyPercentilesQuestion, { sqlite: latencyPercentilesSqlite, elasticsearch: latencyPercentilesEs }),
  failureBreakdown: withAnswers(failureBreakdownQuestion, { sqlite: failureBreakdownSqlite, elasticsearch: failureBreakdownEs }),
  kmsThrottling: withAnswers(kmsThrottlingQuestion, { sqlite: kmsThrottlingSqlite, elasticsearch: kmsThrottlingEs }),
  ingestHealth: withAnswers(ingestHealthQuestion, { sqlite: ingestHealthSqlite, elasticsearch: ingestHealthEs }),
  filterValues: withAnswers(filterValuesQuestion, { sqlite: filterValuesSqlite, elasticsearch: filterValuesEs }),
  keyInventory: withAnswers(keyInventoryQuestion, { sqlite: keyInventorySqlite, elasticsearch: keyInventoryEs }),
  auditSearch: withAnswers(auditSearchQuestion, { sqlite: auditSearchSqlite, elasticsearch: auditSearchEs }),
  auditFacets: withAnswers(auditFacetsQuestion, { sqlite: auditFacetsSqlite, elasticsearch: auditFacetsEs }),
  auditHistogram: withAnswers(auditHistogramQuestion, { sqlite: auditHistogramSqlite, elasticsearch: auditHistogramEs }),
  auditEvent: withAnswers(auditEventQuestion, { sqlite: auditEventSqlite, elasticsearch: auditEventEs }),
  auditFieldValues: withAnswers(auditFieldValuesQuestion, { sqlite: auditFieldValuesSqlite, elasticsearch: auditFieldValuesEs }),
  keyDetail: withAnswers(keyDetailQuestion, { sqlite: keyDetailSqlite, elasticsearch: keyDetailEs }),
  keyUsage: withAnswers(keyUsageQuestion, { sqlite: keyUsageSqlite, elasticsearch: keyUsageEs }),
  principalDetail: withAnswers(principalDetailQuestion, { sqlite: principalDetailSqlite, elasticsearch: principalDetailEs }),
} as const;

export type Questions = typeof QUESTIONS;
export type QuestionName = keyof Questions;
export type QuestionResult<N extends QuestionName> = ResultOf<Questions[N]>;
export type QuestionRequestInput<N extends QuestionName> = RequestInputOf<Questions[N]>;

export const QUESTION_NAMES = Object.keys(QUESTIONS) as QuestionName[];

/** The question a route segment names, or undefined (an own-property lookup: "constructor" is no question). */
export function questionNamed(name: string): Question | undefined {
  return Object.hasOwn(QUESTIONS, name) ? (QUESTIONS[name as QuestionName] as unknown as Question) : undefined;
}

export const { sliSeries, sloStatus, latencyPercentiles, failureBreakdown, kmsThrottling, ingestHealth, filterValues, keyInventory } = QUESTIONS;
export const { auditSearch, auditFacets, auditHistogram, auditEvent, auditFieldValues } = QUESTIONS;
export const { keyDetail, keyUsage, principalDetail } = QUESTIONS;
