import { CloudTrailClient, LookupEventsCommand, type CloudTrailClientConfig, type LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { KMS_EVENT_SOURCE } from '../../../lib/model/normalize-cloudtrail';
import type { ApiTarget } from './target';
import type { RateLimiter } from './rate-limiter';

/** LookupEvents' largest page. */
export const MAX_PAGE_SIZE = 50;

export type AwsCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export type ClientOptions = {
  target: ApiTarget;
  limiter: RateLimiter;
  /** Aborts a wait for the limiter (shutdown). */
  signal: AbortSignal;
  endpoint: string | null;
  /** Static credentials (tests); otherwise the standard chain, with the target's profile. */
  credentials?: AwsCredentials;
  requestTimeoutMs?: number;
};

export type PageRequest = { start: Date; end: Date; nextToken: string | null; maxResults?: number };

/** The part of the SDK client the poller uses, so a test can count or fail calls. */
export type LookupEventsApi = {
  lookupPage(req: PageRequest, signal: AbortSignal): Promise<LookupEventsCommandOutput>;
  destroy(): void;
};

/**
 * One CloudTrail client per target. The SDK's own retries are off (`maxAttempts: 1`):
 * the poller retries with its own backoff, which sees every throttle and slows the
 * target's token bucket. SDK retries would resend throttled calls on their own timer,
 * invisible to the limiter, and stack their backoff on ours (3 × our attempts).
 *
 * The limiter runs as the last middleware before the HTTP handler, after signing, so it
 * grants a request as late as possible (a slow credential lookup or serialisation cannot
 * squeeze two requests together), and learns when the request completed.
 */
export function createLookupEventsClient(o: ClientOptions): LookupEventsApi {
  const config: CloudTrailClientConfig = {
    region: o.target.region,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5000, requestTimeout: o.requestTimeoutMs ?? 30_000, throwOnRequestTimeout: true },
  };
  if (o.target.profile !== null) config.profile = o.target.profile;
  if (o.endpoint !== null) config.endpoint = o.endpoint;
  if (o.credentials !== undefined) config.credentials = o.credentials;
  const client = new CloudTrailClient(config);
  client.middlewareStack.add(
    (next) => async (args) => {
      const release = await o.limiter.acquire(o.signal);
      try {
        return await next(args);
      } finally {
        release();
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'keyscopeLookupEventsRateLimit' },
  );
  return {
    lookupPage: (req, signal) =>
      client.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: KMS_EVENT_SOURCE }],
          StartTime: req.start,
          EndTime: req.end,
          MaxResults: req.maxResults ?? MAX_PAGE_SIZE,
          ...(req.nextToken === null ? {} : { NextToken: req.nextToken }),
        }),
        { abortSignal: signal },
      ),
    destroy: () => client.destroy(),
  };
}
