'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { formatCount, formatPercent, formatUtc } from '@/lib/dashboard/format';
import type { RangeSpec } from '@/lib/dashboard/time-range';
import type { PrincipalDetailResult } from '@/lib/questions/principal-detail/definition';
import { EmptyState, ErrorState, LoadingState, Panel } from '@/components/oncall/panel';
import { Stat } from '@/components/oncall/stat';
import { clientEntityQueries } from '@/components/keys/client-queries';
import { exactClause, keyHref, securityHref } from '@/components/keys/links';
import { RangeBar, useRangeUrl } from '@/components/keys/range-bar';
import { TopListTable } from '@/components/keys/top-list-table';
import { rangeSpecOf } from '@/components/keys/url-state';
import styles from '@/components/oncall/oncall.module.css';
import own from '@/components/keys/entities.module.css';

const FIELD_LABELS: Record<string, string> = { 'kms.key.arn': 'key', 'source.address': 'source', 'cloud.region': 'Region', 'user_agent.original': 'user agent' };

function NewItems({ d, range }: { d: PrincipalDetailResult & { principalName: string }; range: RangeSpec }) {
  if (d.newItems.length === 0) return <p className={styles.faint} data-testid="new-none">Nothing new since {formatUtc(d.newSince)}: every key, source, Region and context value was seen before.</p>;
  return (
    <>
      {d.newTruncated ? <div className={styles.truncated}>Newest {d.newItems.length} shown.</div> : null}
      <table className={styles.compactTable} data-testid="new-items">
        <thead><tr><th scope="col">new</th><th scope="col">value</th><th scope="col">first seen (UTC)</th><th scope="col">events</th></tr></thead>
        <tbody>
          {d.newItems.map((n) => {
            const label = FIELD_LABELS[n.field] ?? n.field.replace(/^kms\.encryption_context\./, 'context ');
            const query = n.field === 'source.address' ? exactClause('source.address', n.value) : exactClause(n.field, n.value);
            return (
              <tr key={`${n.field}=${n.value}`}>
                <td>{label}</td>
                <td className={styles.keyCell} title={n.value}>
                  <Link href={securityHref(`${exactClause('keyscope.principal.caller', d.principalName)} and ${query}`, range)}>{n.value}</Link>
                  {n.field === 'kms.key.arn' ? <> · <Link href={keyHref(n.value, range)}>key page</Link></> : null}
                </td>
                <td>{formatUtc(n.firstSeen, false)}</td>
                <td className="num">{formatCount(n.count)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

/** /principals/[id]: one caller's keys, sources, user agents, errors, first/last seen and what is new for it. */
export function PrincipalDetailView({ principal }: { principal: string }) {
  const range = rangeSpecOf(useRangeUrl());
  const query = useQuery(clientEntityQueries.principalDetail(range, principal));
  const d = query.data;
  return (
    <>
      <div className={styles.pageHead}>
        <h1>Principal <span className={own.mono}>{principal}</span></h1>
        <p><Link href={securityHref(exactClause('keyscope.principal.caller', principal), range)} data-testid="principal-search">Search its audit events</Link></p>
      </div>
      <RangeBar />
      {d === undefined ? (
        <section className={styles.panel} data-testid="principal-page" data-state={query.error ? 'error' : 'loading'}>
          {query.error ? <ErrorState error={query.error} retry={() => void query.refetch()} /> : <LoadingState />}
        </section>
      ) : d.seen === null ? (
        <section className={styles.panel} data-testid="principal-page" data-state="empty">
          <EmptyState text={`No principal ${principal} in the audit trail.`} />
        </section>
      ) : (
        <div className={styles.grid} data-testid="principal-page" data-state="ready">
          <Panel id="principal-summary" title="Activity" query={query} isEmpty={() => false} emptyText="">
            {(x) => (
              <>
                <div className={styles.stats}>
                  <Stat id="principal-calls" label="calls in range" value={x.totals.calls} format={formatCount} />
                  <Stat id="principal-failures" label="failed" value={x.totals.failures} format={formatCount} />
                  <Stat id="principal-error-rate" label="error rate" value={x.totals.calls === 0 ? null : x.totals.failures / x.totals.calls} format={(v) => formatPercent(v, 2)} />
                </div>
                <dl className={own.facts}>
                  <dt>identity</dt><dd>{x.identity ? `${x.identity.type}${x.identity.accountId ? ` in ${x.identity.accountId}` : ''}` : '—'}</dd>
                  <dt>first seen</dt><dd data-testid="principal-first-seen">{x.seen ? formatUtc(x.seen.firstSeen) : '—'}</dd>
                  <dt>last seen</dt><dd data-testid="principal-last-seen">{x.seen ? formatUtc(x.seen.lastSeen) : '—'}</dd>
                  <dt>events, all time</dt><dd>{formatCount(x.seen?.count ?? 0)}</dd>
                </dl>
              </>
            )}
          </Panel>
          <Panel id="principal-new" title="New in the last 7 days" subtitle={`first seen since ${formatUtc(d.newSince)}, never before`} query={query} isEmpty={() => false} emptyText="">
            {(x) => <NewItems d={{ ...x, principalName: principal }} range={range} />}
          </Panel>
          <Panel id="principal-keys" title="Keys used" query={query} isEmpty={(x) => x.keys.values.length === 0} emptyText="No key calls in this range.">
            {(x) => <TopListTable id="keys" label="key" field="kms.key.arn" list={x.keys} range={range} pivot={(k) => ({ href: keyHref(k, range), text: 'key page' })} />}
          </Panel>
          <Panel id="principal-sources" title="Sources and user agents" query={query} isEmpty={(x) => x.sources.values.length === 0 && x.userAgents.values.length === 0} emptyText="No sources in this range.">
            {(x) => (
              <>
                <TopListTable id="sources" label="source IP" field="source.ip" list={x.sources} range={range} />
                <TopListTable id="user-agents" label="user agent" field="user_agent.original" list={x.userAgents} range={range} />
                <TopListTable id="regions" label="Region" field="cloud.region" list={x.regions} range={range} />
              </>
            )}
          </Panel>
          <Panel id="principal-errors" title="Errors" subtitle="by error code as CloudTrail wrote it" query={query} isEmpty={(x) => x.errors.values.length === 0} emptyText="No failed calls in this range.">
            {(x) => <TopListTable id="errors" label="error code" field="error.code" list={x.errors} range={range} />}
          </Panel>
        </div>
      )}
    </>
  );
}
