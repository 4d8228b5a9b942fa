import { HydrationBoundary, dehydrate } from '@tanstack/react-query';
import { headers } from 'next/headers';
import type { SearchParams } from 'nuqs/server';
import { NoDataYet } from '@/components/no-data-yet';
import { StoreUnavailable } from '@/components/store-unavailable';
import { PrincipalDetailView } from '@/components/principals/principal-detail-view';
import { entityQueries } from '@/components/keys/queries';
import { loadRangeUrlState, rangeSpecOf } from '@/components/keys/url-state';
import { guardPage } from '@/lib/auth/next/guard-page';
import { makeQueryClient } from '@/lib/dashboard/query-client';
import { requestIdOf } from '@/lib/dashboard/server/request-id';
import { storeAvailability } from '@/lib/dashboard/server/store-access';
import { storeFetcher } from '@/lib/dashboard/server/store-fetcher';

export const metadata = { title: 'Principal' };
export const dynamic = 'force-dynamic';

/** One caller by its URL-encoded keyscope.principal.caller; its detail is prefetched. */
export default async function PrincipalPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  await guardPage('/principals/[id]');
  const principal = decodeURIComponent((await params).id);
  const range = rangeSpecOf(await loadRangeUrlState(searchParams));
  const availability = await storeAvailability(requestIdOf(await headers()));
  if (availability.state === 'no-data') return <NoDataYet path={availability.path} />;
  const client = makeQueryClient();
  if (availability.state === 'ready') await client.prefetchQuery(entityQueries(storeFetcher).principalDetail(range, principal));
  return (
    <>
      {availability.state === 'error' ? <StoreUnavailable message={availability.message} /> : null}
      <HydrationBoundary state={dehydrate(client)}>
        <PrincipalDetailView principal={principal} />
      </HydrationBoundary>
    </>
  );
}
