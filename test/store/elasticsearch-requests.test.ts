import { describe, expect, it } from 'vitest';
import { failureGroupsRequest } from '../../lib/questions/failure-breakdown/elasticsearch-request';
import { filterValuesRequest } from '../../lib/questions/filter-values/elasticsearch-request';
import { deadLettersBySourceRequest, ingestSourcesRequest, latestDeadLettersRequest } from '../../lib/questions/ingest-health/elasticsearch-request';
import { keyPrincipalsRequest, keyStatesRequest } from '../../lib/questions/key-inventory/elasticsearch-request';
import { throttledAuditRequest, throttledOperationsRequest } from '../../lib/questions/kms-throttling/elasticsearch-request';
import { latencyRequest } from '../../lib/questions/latency-percentiles/elasticsearch-request';
import type { QueryNode } from '../../lib/query-language/ast';
import { parseQuery } from '../../lib/query-language/parse';
import { IndexNames } from '../../lib/store/elasticsearch/names';
import { auditFilter } from '../../lib/store/elasticsearch/queries/audit-filter';
import { histogram, operationFilters, term, timeRange } from '../../lib/store/elasticsearch/queries/common';
import { sliFilters, sliSeriesRequest, sliWindowsRequest } from '../../lib/store/elasticsearch/queries/sli';

/*
 * Every Elasticsearch request builder rendered with fixed inputs against a committed
 * snapshot (STYLE.md 2): a change to a request body shows in review as a snapshot diff.
 * What the requests answer is tested against a real node in test/queries and test/conformance.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const T = Date.UTC(2026, 2, 1);
const names = new IndexNames('ks-snap');
const ops = names.alias('key-operations');
const audit = names.alias('audit-events');
const KEK = 'arn:aws:kms:eu-west-1:111122223333:key/0b7c1c55-8d8e-4c61-9a51-3f1ef0a1c2d3';
const filters = { service: 'billing', tenant: 'tenant-a', kekId: KEK };

describe('Elasticsearch request builders (snapshots)', () => {
  it('shared pieces: range, terms, filters, histogram', () => {
    expect({
      timeRange: timeRange(T, T + HOUR),
      timeRangeOtherField: timeRange(T, T + HOUR, 'keyscope.received_at'),
      term: term('event.outcome', 'failure'),
      noFilters: operationFilters({}),
      allFilters: operationFilters(filters),
      histogram: histogram(2 * MIN),
    }).toMatchSnapshot();
  });

  it('SLI series and SLO windows, for each SLI', () => {
    const specs = [{ sli: 'unwrap_success' }, { sli: 'cache_hit' }, { sli: 'unwrap_latency', thresholdMs: 180 }] as const;
    for (const spec of specs) {
      expect(sliFilters(spec)).toMatchSnapshot(`${spec.sli} filters`);
      expect(sliSeriesRequest(spec, filters, T, T + 6 * HOUR, 2 * MIN, ops)).toMatchSnapshot(`${spec.sli} series`);
    }
    const windows = { slo: { fromMs: T - 30 * 24 * HOUR, toMs: T }, '5m': { fromMs: T - 5 * MIN, toMs: T }, '1h': { fromMs: T - HOUR, toMs: T } };
    expect(sliWindowsRequest({ sli: 'unwrap_success' }, { tenant: 'tenant-a' }, windows, ops)).toMatchSnapshot();
  });

  it('latency percentiles', () => {
    expect(latencyRequest('unwrap', {}, T, T + 6 * HOUR, 2 * MIN, ops)).toMatchSnapshot();
    expect(latencyRequest('decrypt', filters, T, T + HOUR, MIN, ops)).toMatchSnapshot();
  });

  it('failure breakdown, first page and a later one', () => {
    expect(failureGroupsRequest('errorClass', undefined, {}, T, T + HOUR, ops)).toMatchSnapshot();
    expect(failureGroupsRequest('kekId', 'unwrap', filters, T, T + HOUR, ops, { key: 'throttled' })).toMatchSnapshot();
  });

  it('KMS throttling: operations and audit events', () => {
    expect(throttledOperationsRequest(filters, T, T + HOUR, MIN, ops)).toMatchSnapshot();
    expect(throttledAuditRequest(filters, T, T + HOUR, MIN, audit)).toMatchSnapshot();
    expect(throttledAuditRequest({}, T, T + HOUR, MIN, audit)).toMatchSnapshot();
  });

  it('filter values widen the range to whole hours', () => {
    expect(filterValuesRequest(T + 7 * MIN, T + 2 * HOUR + 1, 50, ops)).toMatchSnapshot();
  });

  it('ingest health: sources, dead letters by source (paged), latest dead letters', () => {
    expect(ingestSourcesRequest(names.entity('ingest-sources'))).toMatchSnapshot();
    expect(deadLettersBySourceRequest(T, T + HOUR, names.entity('dead-letters'))).toMatchSnapshot();
    expect(deadLettersBySourceRequest(T, T + HOUR, names.entity('dead-letters'), { source: 'intake-http' })).toMatchSnapshot();
    expect(latestDeadLettersRequest(5, names.entity('dead-letters'))).toMatchSnapshot();
  });

  it('key inventory: key states and their principals', () => {
    expect(keyStatesRequest({ filters: {}, limit: 1000 }, names.entity('key-states'))).toMatchSnapshot();
    const all = { accountId: '111122223333', region: 'eu-west-1', state: 'Enabled', keyId: KEK } as const;
    expect(keyStatesRequest({ filters: all, limit: 10 }, names.entity('key-states'))).toMatchSnapshot();
    expect(keyPrincipalsRequest([KEK], T, T + HOUR, audit)).toMatchSnapshot();
    expect(keyPrincipalsRequest([KEK], T, T + HOUR, audit, { key: KEK, principal: 'arn:aws:iam::111122223333:role/app' })).toMatchSnapshot();
  });

  describe('audit filter trees', () => {
    const tree = (text: string): QueryNode => {
      const r = parseQuery(text);
      if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
      return r.tree;
    };
    const queries = [
      '',
      'event.action:Decrypt AND NOT event.outcome:success',
      'user.name:arn\\:aws\\:iam* OR kms.key.id:"0b7c1c55-8d8e-4c61-9a51-3f1ef0a1c2d3"',
      'error.message:"not authorized" AND error.code:*',
      '@timestamp>=2026-03-01 AND @timestamp<2026-03-02',
      'source.ip:10.0.0.0/8 OR source.ip:2001:db8::/32',
      'kms.encryption_context.tenant:a?c AND aws.cloudtrail.read_only:true',
    ];
    for (const text of queries) {
      it(`renders ${JSON.stringify(text)}`, () => {
        expect(auditFilter(tree(text))).toMatchSnapshot();
      });
    }

    it('escapes wildcard metacharacters in literal segments', () => {
      const node: QueryNode = { kind: 'wildcard', field: 'user_agent.original', segments: [{ kind: 'literal', text: 'a*b?c\\' }, { kind: 'any' }] };
      expect(auditFilter(node)).toEqual({ wildcard: { 'user_agent.original': { value: 'a\\*b\\?c\\\\*' } } });
    });
  });
});
