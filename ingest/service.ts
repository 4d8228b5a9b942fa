import type { Logger } from 'pino';
import type { Config } from '../lib/config';
import { loadSloConfig } from '../lib/detect/load-slo-config';
import { KeyInventory } from '../lib/inventory/key-inventory';
import { openWriterStore } from './open-store';
import type { Store } from '../lib/store/types';
import { assertBindAllowed } from '../lib/net/bind-policy';
import { IngestError, type PipelineFailedError } from './errors';
import { killAfterWrites } from './pipeline/failpoint';
import { Pipeline } from './pipeline/pipeline';
import { AlertScheduler } from './scheduler/alert-scheduler';
import { DeadLetterRetention } from './scheduler/dead-letter-retention';
import { CloudTrailApiPoller } from './sources/cloudtrail-api/poller';
import { CLOUDTRAIL_API_SOURCE } from './sources/cloudtrail-api/target';
import { CLOUDTRAIL_FILES_SOURCE } from './sources/cloudtrail-files/ingest-file';
import { CloudTrailWatcher } from './sources/cloudtrail-files/watcher';
import { EmitterTokenVerifier } from './sources/intake-http/emitter-auth';
import { INTAKE_SOURCE } from './sources/intake-http/ndjson-handler';
import { IntakeServer, type HealthReport } from './sources/intake-http/server';

export type ServiceOptions = {
  /** Without `cloudTrailApi` (or with no targets) the LookupEvents poller is off. */
  config: Pick<Config, 'store' | 'intake' | 'ingest' | 'sloConfigPath' | 'auth'> & Partial<Pick<Config, 'cloudTrailApi' | 'failpoints'>>;
  logger: Logger;
  /** A file modified this recently is left for the next poll (default 2 s). */
  settleMs?: number;
};

/** Where the checkpoint read behind /healthz goes: any answer proves the store is reachable. */
const HEALTH_PROBE = { source: 'ingest-service', key: 'healthz' };

/**
 * `ingest serve`: the HTTP intake, the CloudTrail directory watcher (when a directory is
 * configured), the CloudTrail LookupEvents poller (when targets are configured) and the
 * SLO alert scheduler over one store. `stop()` shuts down in the
 * order that loses nothing: stop taking input, answer the requests in flight, write what
 * the pipelines hold (checkpoints included), then close the store.
 */
export class IngestService {
  private stopping: Promise<void> | null = null;
  readonly failed: Promise<PipelineFailedError>;
  private onFailure: (err: PipelineFailedError) => void = () => undefined;

  private constructor(
    private readonly store: Store,
    private readonly pipelines: Pipeline[],
    private readonly intake: IntakeServer,
    private readonly watcher: CloudTrailWatcher | null,
    private readonly poller: CloudTrailApiPoller | null,
    private readonly scheduler: AlertScheduler,
    private readonly retention: DeadLetterRetention,
    private readonly logger: Logger,
    readonly url: string,
  ) {
    this.failed = new Promise((resolve) => (this.onFailure = resolve));
  }

  static async start(o: ServiceOptions): Promise<IngestService> {
    const { config, logger } = o;
    // Another address than loopback only when writers must show an emitter token.
    const tokens = new EmitterTokenVerifier({ dbPath: config.auth.dbPath, mode: config.intake.auth });
    try {
      assertBindAllowed({
        what: 'the intake', host: config.intake.host, setting: 'KEYSCOPE_INTAKE_HOST', signInConfigured: tokens.required,
        signIn: 'emitter tokens (npm run tokens -- create, or KEYSCOPE_INTAKE_AUTH=required)',
      });
    } catch (err) {
      tokens.close();
      throw err;
    }
    const slos = await loadSloConfig(config.sloConfigPath);
    const store = await openWriterStore(config.store, logger);
    let failure: (err: PipelineFailedError) => void = () => undefined;
    // The crash tests' failpoint counts the writes of every pipeline (undefined when off).
    const onWrite = killAfterWrites(config.failpoints?.killAfterWrites ?? null);
    const pipeline = (source: string) =>
      new Pipeline({
        source, store, logger, batchRecords: config.ingest.batchRecords, batchMaxAgeMs: config.ingest.batchMaxAgeMs, onFailure: (err) => failure(err), onWrite,
      });
    const intakePipeline = pipeline(INTAKE_SOURCE);
    // CloudTrail events keep the key inventory current, continuing from the stored key states.
    const keyInventory = KeyInventory.fromKeyStates(await store.keyStates());
    const filesPipeline = new Pipeline({
      source: CLOUDTRAIL_FILES_SOURCE, store, logger, batchRecords: config.ingest.batchRecords, batchMaxAgeMs: config.ingest.batchMaxAgeMs,
      keyInventory, onFailure: (err) => failure(err), onWrite,
    });
    const dir = config.ingest.cloudTrailDir;
    const watcher = dir === null ? null
      : new CloudTrailWatcher({ root: dir, pipeline: filesPipeline, store, pollIntervalMs: config.ingest.pollIntervalMs, settleMs: o.settleMs ?? 2000, logger, timeBounds: config.ingest.timeBounds,
        lookbackDays: config.ingest.lookbackDays });
    const scheduler = new AlertScheduler({ store, slos, intervalMs: config.ingest.alertIntervalMs, logger });
    const retention = new DeadLetterRetention({ store, retentionMs: config.ingest.deadLetterRetentionMs, logger });
    const pipelines = [intakePipeline, filesPipeline];
    const api = config.cloudTrailApi;
    let poller: CloudTrailApiPoller | null = null;
    if (api && api.targets.length > 0) {
      // The same records as the trail files: they keep the same key inventory current.
      const apiPipeline = new Pipeline({
        source: CLOUDTRAIL_API_SOURCE, store, logger, batchRecords: config.ingest.batchRecords, batchMaxAgeMs: config.ingest.batchMaxAgeMs,
        keyInventory, onFailure: (err) => failure(err), onWrite,
      });
      pipelines.push(apiPipeline);
      poller = new CloudTrailApiPoller({ ...api, pipeline: apiPipeline, store, logger, timeBounds: config.ingest.timeBounds });
      try {
        // Missing credentials or cloudtrail:LookupEvents refuse the start, with what to fix.
        await poller.preflight();
      } catch (err) {
        await poller.stop();
        await store.close();
        throw err;
      }
    }
    const health = async (): Promise<HealthReport> => {
      let storeError: string | null = null;
      await store.getCheckpoint(HEALTH_PROBE.source, HEALTH_PROBE.key).catch((err: unknown) => (storeError = (err as Error).message));
      const stats = pipelines.map((p) => ({ source: p.source, ...p.stats() }));
      const queues = Object.fromEntries(stats.map((st) => [st.source, { buffered: st.buffered, writing: st.writing, failed: st.failed }]));
      const depth = stats.reduce((n, st) => n + st.buffered + st.writing, 0);
      const failed = stats.some((st) => st.failed);
      return { ok: storeError === null && !failed, store: { reachable: storeError === null, error: storeError }, queue: { depth, pipelines: queues }, watcher: watcher?.stats() ?? null, cloudTrailApi: poller?.stats() ?? null };
    };
    const intake = new IntakeServer({
      host: config.intake.host, port: config.intake.port, limits: config.intake, pipeline: intakePipeline, health, logger, timeBounds: config.ingest.timeBounds,
      tokens, maxInflightBytes: config.intake.maxInflightBytes, tokenRate: config.intake.tokenRate,
    });
    let listening: { url: string };
    try {
      listening = await intake.listen();
    } catch (err) {
      await poller?.stop();
      await store.close();
      throw new IngestError(`the intake cannot listen on ${config.intake.host}:${config.intake.port} (KEYSCOPE_INTAKE_HOST/PORT): ${(err as Error).message}`);
    }
    const service = new IngestService(store, pipelines, intake, watcher, poller, scheduler, retention, logger, listening.url);
    failure = (err) => service.onFailure(err);
    watcher?.start();
    poller?.start();
    scheduler.start();
    retention.start();
    logger.info({ url: listening.url, tokensRequired: tokens.required, watch: dir, cloudTrailApi: poller?.targets ?? [], slos: slos.map((s) => s.id), store: config.store.backend }, 'ingest service started');
    return service;
  }

  /** Idempotent; resolves once the store is closed. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.logger.info('ingest service stopping');
    // The poller abandons its page in flight: that page's checkpoint is not advanced, so it is read again.
    await Promise.all([this.intake.close(), this.watcher?.stop(), this.poller?.stop(), this.scheduler.stop(), this.retention.stop()]);
    const results = await Promise.allSettled(this.pipelines.map((p) => p.close()));
    await this.store.close();
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const totals = Object.fromEntries(this.pipelines.map((p) => [p.source, p.stats().totals]));
    this.logger.info({ totals }, 'ingest service stopped');
  }
}
