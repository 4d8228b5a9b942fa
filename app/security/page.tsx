import { HydrationBoundary, dehydrate } from '@tanstack/react-query';
import { headers } from 'next/headers';
import type { SearchParams } from 'nuqs/server';
import { NoDataYet } from '@/components/no-data-yet';
import { StoreUnavailable } from '@/components/store-unavailable';
import { SecurityDashboard } from '@/components/security/security-dashboard';
import { securityQueries } from '@/components/security/queries';
import { cursorOf, loadSecurityUrlState, viewOf } from '@/components/security/url-state';
import { guardPage } from '@/lib/auth/next/guard-page';
import { makeQueryClient } from '@/lib/dashboard/query-client';
import { requestIdOf } from '@/lib/dashboard/server/request-id';
import { storeAvailability } from '@/lib/dashboard/server/store-access';
import { storeFetcher } from '@/lib/dashboard/server/store-fetcher';
import styles from '@/components/security/security.module.css';

export const metadata = { title: 'Security' };
// Every request reads the live store.
export const dynamic = 'force-dynamic';

/**
 * The analyst's audit search. The server parses the URL state, asks the store for the
 * histogram, facets, page and expanded event with the browser's own query options, and
 * hands the answers over in the HydrationBoundary, so a reload paints the same view at once.
 */
export default async function SecurityPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await guardPage('/security');
  const url = await loadSecurityUrlState(searchParams);
  const availability = await storeAvailability(requestIdOf(await headers()));
  if (availability.state === 'no-data') return <NoDataYet path={availability.path} />;

  const client = makeQueryClient();
  if (availability.state === 'ready') {
    const q = securityQueries(storeFetcher);
    const view = viewOf(url);
    // A failed prefetch is not thrown here: the browser asks again and the panel shows the error.
    await Promise.all([
      client.prefetchQuery(q.search(view, cursorOf(url))),
      client.prefetchQuery(q.histogram(view)),
      client.prefetchQuery(q.facets(view)),
      ...(url.event ? [client.prefetchQuery(q.event(url.event))] : []),
    ]);
  }

  return (
    <>
      <div className={styles.pageHead}>
        <h1>Security</h1>
        <p>Who used which key, from where, and when: search the KMS audit trail.</p>
      </div>
      {availability.state === 'error' ? <StoreUnavailable message={availability.message} /> : null}
      <HydrationBoundary state={dehydrate(client)}>
        <SecurityDashboard />
      </HydrationBoundary>
    </>
  );
}
