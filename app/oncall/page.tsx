import { HydrationBoundary, dehydrate } from '@tanstack/react-query';
import { headers } from 'next/headers';
import type { SearchParams } from 'nuqs/server';
import { NoDataYet } from '@/components/no-data-yet';
import { guardPage } from '@/lib/auth/next/guard-page';
import { OnCallDashboard } from '@/components/oncall/oncall-dashboard';
import { StoreUnavailable } from '@/components/store-unavailable';
import { onCallQueries } from '@/components/oncall/queries';
import { loadOnCallUrlState, viewOf } from '@/components/oncall/url-state';
import { makeQueryClient } from '@/lib/dashboard/query-client';
import { requestIdOf } from '@/lib/dashboard/server/request-id';
import { getSloDefinitions, storeAvailability } from '@/lib/dashboard/server/store-access';
import { storeFetcher } from '@/lib/dashboard/server/store-fetcher';
import styles from '@/components/oncall/oncall.module.css';

export const metadata = { title: 'On-call' };
// Every request reads the live store.
export const dynamic = 'force-dynamic';

/**
 * The SRE's page. The server parses the URL state, asks the store directly for every
 * panel (the same query options the browser uses, over the store instead of HTTP) and
 * hands the answers over in the HydrationBoundary, so the first paint has data.
 */
export default async function OnCallPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await guardPage('/oncall');
  const url = await loadOnCallUrlState(searchParams);
  const availability = await storeAvailability(requestIdOf(await headers()));
  if (availability.state === 'no-data') return <NoDataYet path={availability.path} />;
  const slos = await getSloDefinitions();

  const client = makeQueryClient();
  if (availability.state === 'ready') {
    const q = onCallQueries(storeFetcher);
    const view = viewOf(url);
    // A failed prefetch is not thrown here: the browser asks again and the panel shows the error.
    await Promise.all([
      ...slos.map((slo) => client.prefetchQuery(q.sloStatus(view, slo.id))),
      client.prefetchQuery(q.unwrapLatency(view)),
      client.prefetchQuery(q.sli(view, 'unwrap_success')),
      client.prefetchQuery(q.sli(view, 'cache_hit')),
      client.prefetchQuery(q.failures(view, url.failuresBy)),
      client.prefetchQuery(q.kmsThrottling(view)),
      client.prefetchQuery(q.ingestHealth(view.range)),
      client.prefetchQuery(q.filterValues(view.range)),
    ]);
  }

  return (
    <>
      <div className={styles.pageHead}>
        <h1>On-call</h1>
        <p>Are unwraps succeeding and fast? How much error budget is left, and which service or key is failing?</p>
      </div>
      {availability.state === 'error' ? <StoreUnavailable message={availability.message} /> : null}
      <HydrationBoundary state={dehydrate(client)}>
        <OnCallDashboard slos={slos} />
      </HydrationBoundary>
    </>
  );
}
