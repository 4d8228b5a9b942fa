import { HydrationBoundary, dehydrate } from '@tanstack/react-query';
import { headers } from 'next/headers';
import type { SearchParams } from 'nuqs/server';
import { NoDataYet } from '@/components/no-data-yet';
import { StoreUnavailable } from '@/components/store-unavailable';
import { KeyDetailView } from '@/components/keys/key-detail-view';
import { entityQueries } from '@/components/keys/queries';
import { loadRangeUrlState, rangeSpecOf } from '@/components/keys/url-state';
import { guardPage } from '@/lib/auth/next/guard-page';
import { makeQueryClient } from '@/lib/dashboard/query-client';
import { requestIdOf } from '@/lib/dashboard/server/request-id';
import { storeAvailability } from '@/lib/dashboard/server/store-access';
import { storeFetcher } from '@/lib/dashboard/server/store-fetcher';

export const metadata = { title: 'Key' };
export const dynamic = 'force-dynamic';

/** One key by its URL-encoded canonical ARN; detail and usage are prefetched. */
export default async function KeyPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  await guardPage('/keys/[id]');
  const keyArn = decodeURIComponent((await params).id);
  const range = rangeSpecOf(await loadRangeUrlState(searchParams));
  const availability = await storeAvailability(requestIdOf(await headers()));
  if (availability.state === 'no-data') return <NoDataYet path={availability.path} />;
  const client = makeQueryClient();
  if (availability.state === 'ready') {
    const q = entityQueries(storeFetcher);
    await Promise.all([client.prefetchQuery(q.keyDetail(range, keyArn)), client.prefetchQuery(q.keyUsage(range, keyArn))]);
  }
  return (
    <>
      {availability.state === 'error' ? <StoreUnavailable message={availability.message} /> : null}
      <HydrationBoundary state={dehydrate(client)}>
        <KeyDetailView keyArn={keyArn} />
      </HydrationBoundary>
    </>
  );
}
