/**
 * `npm run bench:ingest:poller`: the CloudTrail LookupEvents poller against the wire
 * server's real limit (2 requests/s per account and region, 50 events a page), so the
 * ceiling is 100 events/s. Runs the real SDK client, limiter, normalizer, pipeline and
 * sqlite store for --seconds (default 25) on a back-fill larger than that, and prints
 * sustained events/s, its ratio to the ceiling (target ≥ 0.95) and the throttling errors
 * (target 0), and writes them to docs/benchmarks.md.
 */
import { Command } from 'commander';
import { rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../ingest/log';
import { Pipeline } from '../../ingest/pipeline/pipeline';
import { CloudTrailApiPoller } from '../../ingest/sources/cloudtrail-api/poller';
import { CLOUDTRAIL_API_SOURCE } from '../../ingest/sources/cloudtrail-api/target';
import { loadConfig } from '../../lib/config';
import { openStore } from '../../lib/store';
import { kmsEvents, principals, PROFILES } from '../../test/ingest/cloudtrail-api/support/harness';
import { CloudTrailWireServer } from '../../test/support/cloudtrail-wire-server';
import { writeSection } from './report';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const log = (s: string) => process.stderr.write(`${s}\n`);
const opts = new Command('bench:ingest:poller').option('--seconds <n>', 'how long to poll', '25').parse().opts<{ seconds: string }>();
const config = loadConfig();
const API_LIMIT = 2;
const PAGE = 50;
const CEILING = API_LIMIT * PAGE;

async function main(): Promise<void> {
  const seconds = Number(opts.seconds);
  const server = await CloudTrailWireServer.start({ principals: principals(), maxPerSecond: API_LIMIT });
  const available = Math.ceil(seconds * CEILING * 1.5);
  const now = Date.now();
  server.publish(kmsEvents(available, { newest: now - 60_000, stepMs: 1000, label: 'bench' }));
  const dbPath = join(ROOT, 'bench/results/ingest-poller.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  const store = await openStore({ backend: 'sqlite', sqlitePath: dbPath });
  const pipeline = new Pipeline({ source: CLOUDTRAIL_API_SOURCE, store, batchRecords: config.ingest.batchRecords, batchMaxAgeMs: config.ingest.batchMaxAgeMs });
  const prod = PROFILES.prod!;
  const poller = new CloudTrailApiPoller({
    ...config.cloudTrailApi, targets: [{ profile: 'prod', region: 'eu-west-1' }], endpoint: server.url,
    backfillDays: (available + 120) / 86_400, pipeline, store, logger: silentLogger(),
    credentials: () => ({ accessKeyId: prod.accessKeyId, secretAccessKey: prod.secretAccessKey }),
  });
  log(`poller: ${available} events available, ${seconds} s at ${config.cloudTrailApi.maxRequestsPerSecond} requests/s (server limit ${API_LIMIT}/s, ceiling ${CEILING} events/s)`);
  const started = performance.now();
  const run = poller.runOnce();
  await Promise.race([run, new Promise((r) => setTimeout(r, seconds * 1000))]);
  await poller.stop();
  const elapsed = (performance.now() - started) / 1000;
  await run;
  await pipeline.close();
  await store.close();
  await server.close();

  const stored = pipeline.stats().totals.byKind.auditEvents.stored;
  const [s] = poller.stats();
  const scope = `${prod.accountId}/eu-west-1`;
  const eventsPerSecond = stored / elapsed;
  const ratio = eventsPerSecond / CEILING;
  const figures = {
    seconds: Number(elapsed.toFixed(1)), stored, eventsPerSecond: Number(eventsPerSecond.toFixed(1)), ceiling: CEILING, ratio: Number(ratio.toFixed(3)),
    requests: server.rates.requests(scope), maxRequestsInAnySecond: server.maxPerSecond(scope), throttlingErrors: server.throttled(), pollerThrottled: s?.throttled ?? 0,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  log(`poller: ${stored} events in ${elapsed.toFixed(1)} s = ${eventsPerSecond.toFixed(1)} events/s; ${figures.requests} requests, at most ${figures.maxRequestsInAnySecond} in any second, ${figures.throttlingErrors} throttled`);
  const met = ratio >= 0.95 && figures.throttlingErrors === 0;
  log(`poller/ceiling = ${ratio.toFixed(3)} (target ≥ 0.95, 0 throttling errors): ${met ? 'met' : 'NOT met'}`);

  const cpu = cpus();
  writeSection(join(ROOT, 'docs/benchmarks.md'), 'Ingest: CloudTrail LookupEvents poller', `
\`npm run bench:ingest:poller\` (bench/ingest/poller.ts), ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, sqlite store.

The real \`@aws-sdk/client-cloudtrail\` client, limiter, normalizer and pipeline against the local LookupEvents wire server (test/support/cloudtrail-wire-server.ts), which allows ${API_LIMIT} requests/s per account and region (a sliding second; more get ThrottlingException) and serves ${PAGE} events a page: a ceiling of ${CEILING} events/s. One target back-filling ${available.toLocaleString('en-US')} events for ${figures.seconds} s at \`KEYSCOPE_CLOUDTRAIL_API_MAX_RPS\` = ${config.cloudTrailApi.maxRequestsPerSecond}.

| events stored | time | events/s | requests | most requests in any second (server) | throttling errors |
|---:|---:|---:|---:|---:|---:|
| ${stored.toLocaleString('en-US')} | ${figures.seconds} s | ${figures.eventsPerSecond} | ${figures.requests} | ${figures.maxRequestsInAnySecond} | ${figures.throttlingErrors} |

- **poller / ceiling = ${ratio.toFixed(3)}** (target ≥ 0.95, with no throttling errors).
- The limiter's token bucket sets the pace (${config.cloudTrailApi.maxRequestsPerSecond}/s); its window guard counts each request until it completes, so the server never sees more than 2 in a second however late a request arrives. Over a link with more latency the guard spaces requests by up to half the round trip more (see ingest/README.md).
`);
  log('wrote docs/benchmarks.md (Ingest: CloudTrail LookupEvents poller)');
}

main().catch((err: unknown) => {
  log(`bench:ingest:poller: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
