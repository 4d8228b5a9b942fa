import { parseCloudTrailApiTargets, type Config } from '../../lib/config';
import { KeyInventory } from '../../lib/inventory/key-inventory';
import { openStore } from '../../lib/store';
import { createLogger } from '../log';
import type { PipelineFailedError } from '../errors';
import { killAfterWrites } from '../pipeline/failpoint';
import { Pipeline } from '../pipeline/pipeline';
import { CloudTrailApiError } from '../sources/cloudtrail-api/errors';
import { CloudTrailApiPoller, type TargetOutcome } from '../sources/cloudtrail-api/poller';
import { CLOUDTRAIL_API_SOURCE } from '../sources/cloudtrail-api/target';
import { pollSummary, formatPollSummary } from '../sources/cloudtrail-api/summary';
import { createBackfillProgressBar } from './progress-bar';

export type PollFlags = { db?: string; json?: boolean; progress: boolean; once?: boolean; backfillDays?: string; targets?: string };

function backfillDays(text: string): number {
  const n = Number(text);
  if (!(n >= 0 && n <= 90)) throw new CloudTrailApiError(`--backfill-days must be a number from 0 to 90 (LookupEvents keeps 90 days), got ${text}`);
  return n;
}

/**
 * `ingest poll-cloudtrail`: the LookupEvents poller on its own. `--once` polls every
 * target once (a first run back-fills) and exits; without it, polls until SIGTERM/SIGINT.
 * A signal abandons the pages in flight: what was stored is checkpointed, the rest is
 * read again next time. Exit 1 when a target failed (the summary says which and why).
 */
export async function pollCloudTrailCommand(flags: PollFlags, config: Config): Promise<number> {
  const logger = createLogger(config.logLevel, 2);
  const api = {
    ...config.cloudTrailApi,
    ...(flags.targets !== undefined ? { targets: parseCloudTrailApiTargets(flags.targets) } : {}),
    ...(flags.backfillDays !== undefined ? { backfillDays: backfillDays(flags.backfillDays) } : {}),
  };
  if (api.targets.length === 0) throw new CloudTrailApiError('no CloudTrail targets: set KEYSCOPE_CLOUDTRAIL_API_TARGETS (e.g. prod:us-east-1,prod:eu-west-1) or pass --targets');
  const store = await openStore(flags.db ? { backend: 'sqlite', sqlitePath: flags.db } : config.store, { mode: 'readwrite' });
  let failure: (err: PipelineFailedError) => void = () => undefined;
  const failed = new Promise<PipelineFailedError>((resolve) => (failure = resolve));
  // Management events keep the key inventory current, continuing from the stored key states (as `import` does).
  const keyInventory = KeyInventory.fromKeyStates(await store.keyStates());
  const pipeline = new Pipeline({
    source: CLOUDTRAIL_API_SOURCE, store, logger, batchRecords: config.ingest.batchRecords, batchMaxAgeMs: config.ingest.batchMaxAgeMs,
    keyInventory, onFailure: (err) => failure(err), onWrite: killAfterWrites(config.failpoints.killAfterWrites),
  });
  const bar = flags.progress && !flags.json ? createBackfillProgressBar() : null;
  const poller: CloudTrailApiPoller = new CloudTrailApiPoller({
    ...api, pipeline, store, logger,
    onProgress: (p) => bar?.update(p, poller.stats().reduce((n, s) => n + s.auditEvents, 0)),
  });
  const started = performance.now();
  let outcomes: TargetOutcome[] = [];
  const stopped = new Promise<string>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve(signal));
  });
  try {
    await poller.preflight();
    if (flags.once) {
      const run = poller.runOnce();
      const first = await Promise.race([run.then(() => null), stopped, failed.then(() => null)]);
      if (first !== null) {
        logger.info({ signal: first }, 'stopping: the pages in flight are abandoned');
        await poller.stop();
      }
      outcomes = await run;
    } else {
      poller.start();
      const reason = await Promise.race([stopped, failed.then((err) => err.message)]);
      logger.info({ reason }, 'stopping: the pages in flight are abandoned');
      await poller.stop();
      outcomes = poller.targets.map((target) => ({ target, status: 'stopped' }));
    }
    await poller.stop();
    await pipeline.close();
  } finally {
    bar?.stop();
    await poller.stop();
    await store.close();
  }
  const summary = pollSummary(poller.stats(), outcomes, pipeline.stats().totals, performance.now() - started);
  process.stdout.write(flags.json ? `${JSON.stringify(summary)}\n` : formatPollSummary(summary));
  return outcomes.some((o) => o.status === 'failed') || pipeline.stats().failed ? 1 : 0;
}
