'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { formatCount, formatPercent, formatUtc, shortValue } from '@/lib/dashboard/format';
import type { RangeSpec } from '@/lib/dashboard/time-range';
import type { KeyDetailResult } from '@/lib/questions/key-detail/definition';
import { EmptyState, ErrorState, LoadingState, Panel } from '@/components/oncall/panel';
import { Stat } from '@/components/oncall/stat';
import { clientEntityQueries } from './client-queries';
import { KeyUsageChart } from './key-usage-chart';
import { exactClause, principalHref, securityHref } from './links';
import { RangeBar, useRangeUrl } from './range-bar';
import { TopListTable } from './top-list-table';
import { rangeSpecOf } from './url-state';
import styles from '@/components/oncall/oncall.module.css';
import own from './entities.module.css';

const when = (t: string | null | undefined) => (t ? formatUtc(t) : '—');

function StateFacts({ d }: { d: KeyDetailResult }) {
  const k = d.key;
  if (k === null) return <p className={styles.faint} data-testid="key-not-in-inventory">Not in the inventory: known from the audit trail only.</p>;
  return (
    <dl className={own.facts} data-testid="key-facts">
      <dt>state</dt><dd data-testid="key-state-name"><span className={`${own.badge} ${k.state === 'Enabled' ? own.good : k.state === 'Unknown' ? '' : own.bad}`}>{k.state}</span>{k.deletionDate ? ` · deletion ${when(k.deletionDate)}` : ''}</dd>
      <dt>aliases</dt><dd>{k.aliases.length > 0 ? k.aliases.join(', ') : '—'}</dd>
      <dt>account · Region</dt><dd>{k.accountId ?? '—'} · {k.region ?? '—'}</dd>
      <dt>rotation</dt><dd>{k.rotationEnabled === null ? 'unknown' : k.rotationEnabled ? `on${k.rotationPeriodDays ? `, every ${k.rotationPeriodDays} days` : ''}` : 'off'} · last rotated {when(k.lastRotatedAt)}</dd>
      <dt>key material</dt><dd className={own.mono}>{k.versions.length > 0 ? k.versions.map((v) => (v === k.currentVersion ? `${v} (current)` : v)).join(', ') : '—'}</dd>
      <dt>created</dt><dd>{when(k.createdAt)}</dd>
      <dt>first · last use</dt><dd>{when(k.firstUsedAt)} · {when(k.lastUsedAt)}</dd>
      <dt>policy changed</dt><dd>{when(k.policyUpdatedAt)}</dd>
      {k.primaryKeyArn ? <><dt>primary</dt><dd className={own.mono}>{k.primaryKeyArn}</dd></> : null}
    </dl>
  );
}

function Changes({ d, range }: { d: KeyDetailResult; range: RangeSpec }) {
  if (d.changes.items.length === 0) return <p className={styles.faint}>No policy, grant, state or rotation changes in this range.</p>;
  return (
    <>
      {d.changes.truncated ? <div className={styles.truncated}>Newest {d.changes.items.length} of {formatCount(d.changes.total)} changes.</div> : null}
      <table className={`${styles.compactTable} ${own.textTable}`} data-testid="key-changes">
        <thead><tr><th scope="col">time (UTC)</th><th scope="col">change</th><th scope="col">by</th><th scope="col">from</th><th scope="col">outcome</th></tr></thead>
        <tbody>
          {d.changes.items.map((c) => (
            <tr key={c.id}>
              <td><Link href={securityHref(exactClause('event.id', c.id), range)}>{formatUtc(c.time, false)}</Link></td>
              <td>{c.action}</td>
              <td className={styles.keyCell}>{c.principal ? <Link href={principalHref(c.principal, range)} title={c.principal}>{shortValue(c.principal)}</Link> : '—'}</td>
              <td>{c.source ?? '—'}</td>
              <td>{c.outcome === 'success' ? 'ok' : <span className={`${own.badge} ${own.bad}`}>{c.errorCode ?? 'failed'}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function DekRecords({ d }: { d: KeyDetailResult }) {
  if (d.dekRecords.total === 0) return <p className={styles.faint}>No DEK records name this key.</p>;
  return (
    <table className={styles.compactTable} data-testid="key-dek-records">
      <thead><tr><th scope="col">key version</th><th scope="col">DEK records</th><th scope="col">pending rewrap</th><th scope="col">compromised</th></tr></thead>
      <tbody>
        {d.dekRecords.byVersion.map((v) => (
          <tr key={v.version ?? '(none)'}>
            <td className={own.mono}>{v.version ?? '(no version)'}</td>
            <td className="num" data-value={v.total}>{formatCount(v.total)}</td>
            <td className="num">{formatCount(v.byStatus.pending_rewrap ?? 0)}</td>
            <td className="num">{formatCount(v.byStatus.compromised ?? 0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** /keys/[id]: the key's state, usage, who and where from, errors, DEK records and changes. */
export function KeyDetailView({ keyArn }: { keyArn: string }) {
  const range = rangeSpecOf(useRangeUrl());
  const query = useQuery(clientEntityQueries.keyDetail(range, keyArn));
  const d = query.data;
  const unknown = d !== undefined && d.key === null && !d.inAuditTrail;
  return (
    <>
      <div className={styles.pageHead}>
        <h1>Key <span className={own.mono}>{keyArn}</span></h1>
        <p>
          <Link href={securityHref(exactClause('kms.key.arn', keyArn), range)} data-testid="key-search">Search its audit events</Link> · <Link href="/keys">All keys</Link>
        </p>
      </div>
      <RangeBar />
      {d === undefined ? (
        <section className={styles.panel} data-testid="key-page" data-state={query.error ? 'error' : 'loading'}>
          {query.error ? <ErrorState error={query.error} retry={() => void query.refetch()} /> : <LoadingState />}
        </section>
      ) : unknown ? (
        <section className={styles.panel} data-testid="key-page" data-state="empty">
          <EmptyState text={`No key ${keyArn} in the audit trail or inventory.`} />
        </section>
      ) : (
        <div className={styles.grid} data-testid="key-page" data-state="ready">
          <Panel id="key-state" title="State" query={query} isEmpty={() => false} emptyText="">
            {(x) => (
              <>
                <div className={styles.stats}>
                  <Stat id="key-calls" label="calls in range" value={x.totals.calls} format={formatCount} />
                  <Stat id="key-failures" label="failed" value={x.totals.failures} format={formatCount} />
                  <Stat id="key-error-rate" label="error rate" value={x.totals.calls === 0 ? null : x.totals.failures / x.totals.calls} format={(v) => formatPercent(v, 2)} />
                </div>
                <StateFacts d={x} />
              </>
            )}
          </Panel>
          <KeyUsageChart keyArn={keyArn} range={range} />
          <Panel id="key-principals" title="Top principals" query={query} isEmpty={(x) => x.principals.values.length === 0} emptyText="No callers in this range.">
            {(x) => <TopListTable id="principals" label="principal" field="keyscope.principal.caller" list={x.principals} range={range} pivot={(p) => ({ href: principalHref(p, range), text: 'principal page' })} />}
          </Panel>
          <Panel id="key-sources" title="Top sources" subtitle="IP addresses; AWS services calling for a principal have none" query={query} isEmpty={(x) => x.sources.values.length === 0 && x.userAgents.values.length === 0} emptyText="No sources in this range.">
            {(x) => (
              <>
                <TopListTable id="sources" label="source IP" field="source.ip" list={x.sources} range={range} />
                <TopListTable id="user-agents" label="user agent" field="user_agent.original" list={x.userAgents} range={range} />
              </>
            )}
          </Panel>
          <Panel id="key-errors" title="Errors" subtitle="by error code as CloudTrail wrote it" query={query} isEmpty={(x) => x.errors.values.length === 0} emptyText="No failed calls in this range.">
            {(x) => <TopListTable id="errors" label="error code" field="error.code" list={x.errors} range={range} />}
          </Panel>
          <Panel id="key-dek" title="DEK records protected" subtitle="records naming this key by ARN or key id, by key version" query={query} isEmpty={() => false} emptyText="">
            {(x) => <DekRecords d={x} />}
          </Panel>
          <Panel id="key-changes-panel" title="Policy and grant changes" subtitle="management calls that change the key, newest first" query={query} isEmpty={() => false} emptyText="">
            {(x) => <Changes d={x} range={range} />}
          </Panel>
        </div>
      )}
    </>
  );
}
