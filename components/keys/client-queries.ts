'use client';

import { createApiFetcher } from '@/lib/dashboard/api-fetcher';
import { entityQueries } from './queries';

/** The browser's query options: the same factory the server prefetches with, over the API route. */
export const clientEntityQueries = entityQueries(createApiFetcher());
