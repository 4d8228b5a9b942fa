import { HydrationBoundary, dehydrate } from '@tanstack/react-query';
import { headers } from 'next/headers';
import type { SearchParams } from 'nuqs/server';
import { NoDataYet } from '@/components/no-data-yet';
import { StoreUnavailable } from '@/components/store-unavailable';
import { KeyList } from '@/components/keys/key-list';
import { entityQueries } from '@/components/keys/queries';
import { loadKeyListUrlState, rangeSpecOf } from '@/components/keys/url-state';
import { guardPage } from '@/lib/auth/next/guard-page';
import { makeQueryClient } from '@/lib/dashboard/query-client';
import { requestIdOf } from '@/lib/dashboard/server/request-id';
import { storeAvailability } from '@/lib/dashboard/server/store-access';
import { storeFetcher } from '@/lib/dashboard/server/store-fetcher';
import styles from '@/components/oncall/oncall.module.css';

export const metadata = { title: 'Keys' };
export const dynamic = 'force-dynamic';

/** Every KEK of the inventory; the list is prefetched with the browser's query options. */
export default async function KeysPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await guardPage('/keys');
  const url = await loadKeyListUrlState(searchParams);
  const availability = await storeAvailability(requestIdOf(await headers()));
  if (availability.state === 'no-data') return <NoDataYet path={availability.path} />;
  const client = makeQueryClient();
  if (availability.state === 'ready') await client.prefetchQuery(entityQueries(storeFetcher).keyList(rangeSpecOf(url)));
  return (
    <>
      <div className={styles.pageHead}>
        <h1>Keys</h1>
        <p>Every KEK keyscope knows: state, rotation, last use and who calls it. Open a key for its usage, changes and DEK records.</p>
      </div>
      {availability.state === 'error' ? <StoreUnavailable message={availability.message} /> : null}
      <HydrationBoundary state={dehydrate(client)}>
        <KeyList />
      </HydrationBoundary>
    </>
  );
}
