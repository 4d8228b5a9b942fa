import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SimulatedClock, type Clock } from '../clock';
import { TrailWriter } from '../audit/trail-writer';
import type { KmsCloudTrailRecord } from '../audit/cloudtrail-record';
import { LocalKms, type LocalKmsOptions } from '../kek/local-kms/local-kms';
import { SeededRandom } from '../random';
import type { EventSink } from '../sinks/event-sink';
import { IntakeHttpSink } from '../sinks/intake-http-sink';
import { NdjsonFileSink } from '../sinks/ndjson-file-sink';
import { OtlpTraceSink } from '../sinks/otlp-trace-sink';
import { ObjectCatalog } from './catalog';
import { CountingSink } from './counting-sink';
import { buildEstate } from './estate';
import { LabelWriter } from './label-writer';
import type { TrafficOptions } from './options';
import { silentProgress, type ProgressReporter, type TrafficCounters } from './progress';
import { ScaledClock } from './scaled-clock';
import { phaseAt, planScenario, type KmsConditions } from './scenarios';
import { diurnalPoisson, earliest, fixedRate, once, type Stream } from './schedule';
import { ACCOUNT_ID, REGION, compromisedCaller } from './topology';
import { Workload } from './workload';

export interface TrafficIo {
  progress?: ProgressReporter;
  /** Root key for `kmsStatePath` (from lib/config.ts); required when a state path is set. */
  kmsRootKey?: Buffer | null;
  /** Replaces the file/intake sink (tests). */
  sink?: EventSink;
}

export interface TrafficSummary {
  scenario: string;
  seed: number;
  window: { start: string; end: string };
  counters: TrafficCounters;
  cloudTrail: { files: number; records: number };
  labels: number;
  catalog: { objects: number; evicted: number };
  realMs: number;
}

function faultsFor(kms: KmsConditions): NonNullable<LocalKmsOptions['faults']> {
  const outage = kms.internalErrorProbability + kms.timeoutProbability;
  return {
    latency: { floorMs: kms.latency.floorMs, medianMs: kms.latency.medianMs, sigma: kms.latency.sigma },
    throttle: { probability: kms.throttleProbability },
    ...(outage > 0
      ? { outage: { mode: kms.timeoutProbability > kms.internalErrorProbability ? 'timeout' : 'internal', probability: outage, timeoutMs: kms.timeoutMs } }
      : {}),
  };
}

/**
 * Generates a scenario's traffic over its window: services write and read objects through
 * the envelope engine, the local KMS writes the CloudTrail trail, and the scenario's faults,
 * rotation, rewrap job and attack happen on schedule. On a simulated clock the work runs
 * in order as fast as it can (same seed, same traffic); on a scaled real clock it runs
 * when due, several at a time.
 */
export async function runTraffic(o: TrafficOptions, io: TrafficIo = {}): Promise<TrafficSummary> {
  const realStart = Date.now();
  const endMs = o.startMs + o.durationMs;
  const live = o.speed !== 'max';
  const clock: Clock = live ? new ScaledClock(o.startMs, o.speed as number) : new SimulatedClock(o.startMs);
  const random = new SeededRandom(o.seed);
  const counters: TrafficCounters = { objectsWritten: 0, objectsRead: 0, rewrapped: 0, attackerDecrypts: 0, operations: 0, kmsCalls: 0, failures: 0 };
  const progress = io.progress ?? silentProgress;
  const plan = planScenario({ scenario: o.scenario, startMs: o.startMs, durationMs: o.durationMs, rewrapRate: o.rewrapRate, rate: o.rate });

  await mkdir(o.outDir, { recursive: true });
  const trail = new TrailWriter({ root: o.outDir, clock, random: random.fork('trail'), maxRecordsPerFile: 5000, flushIntervalMs: 60_000, timer: live });
  const labels = LabelWriter.forRun(o.outDir, o.scenario, o.seed);
  const attacker = plan.compromise ? compromisedCaller(random.fork('attacker')) : null;
  const audit = async (record: KmsCloudTrailRecord): Promise<void> => {
    counters.kmsCalls += 1;
    await trail.append(record);
    if (attacker && record.userIdentity.arn === attacker.arn) {
      await labels.write({ eventId: record.eventID, eventTime: record.eventTime, eventName: record.eventName, label: 'compromise', scenario: o.scenario, principalArn: attacker.arn, sourceIp: attacker.sourceIp });
    }
  };

  const kmsOptions = { clock, random: random.fork('kms'), audit, faults: faultsFor(phaseAt(plan, o.startMs).kms) };
  const statePath = o.kmsStatePath;
  if (statePath && !io.kmsRootKey) throw new Error('--kms-state needs a root key: set KEYSCOPE_KMS_ROOT_KEY (32 bytes, base64)');
  const restored = statePath !== null && existsSync(statePath);
  const kms = restored ? await LocalKms.load(statePath, io.kmsRootKey!, kmsOptions) : new LocalKms({ ...kmsOptions, accountId: ACCOUNT_ID, region: REGION });

  const token = o.intakeToken ?? undefined;
  const records = io.sink ?? (o.intakeUrl ? new IntakeHttpSink({ url: o.intakeUrl, token }) : new NdjsonFileSink({ dir: o.outDir, clock }));
  const inner = o.otlpUrl && !io.sink ? new OtlpTraceSink({ url: o.otlpUrl, protocol: o.otlpProtocol, dekRecords: records, token }) : records;
  const sink = new CountingSink(inner, counters);
  const estate = await buildEstate({ kms, clock, random: random.fork('estate'), sink, dekPolicy: o.dekPolicy, keysExist: restored });
  const catalog = new ObjectCatalog({ maxObjects: 2_000_000, maxReservoirBytes: 96 * 1024 * 1024 });
  const work = new Workload(estate, catalog, clock, random.fork('workload'), counters);

  const currentVersions = new Map<string, string | null>();
  const refreshVersions = async () => {
    for (const arn of estate.keyArns.values()) currentVersions.set(arn, (await kms.describeKey({ keyId: arn, caller: estate.admin })).CurrentKeyMaterialId);
  };
  await refreshVersions();

  let phase = phaseAt(plan, o.startMs);
  const streams: Stream[] = [
    diurnalPoisson('write', o.rate, o.startMs, endMs, random.fork('writes'), () => work.write()),
    diurnalPoisson('read', o.rate * o.readRatio, o.startMs, endMs, random.fork('reads'), () => work.read()),
  ];
  for (const p of plan.phases.slice(1)) {
    streams.push(once(`phase:${p.label}`, p.fromMs, async () => kms.setFaults(faultsFor(p.kms))));
  }
  if (plan.rotationAtMs !== null) {
    streams.push(once('rotation', plan.rotationAtMs, async () => {
      for (const arn of estate.keyArns.values()) await kms.rotate(arn, estate.admin);
      await refreshVersions();
    }));
  }
  if (plan.rewrap) streams.push(fixedRate('rewrap', plan.rewrap.ratePerSec, plan.rewrap.fromMs, endMs, () => work.rewrapNext((arn) => currentVersions.get(arn) ?? null)));
  if (plan.compromise && attacker) {
    streams.push(fixedRate('attack', plan.compromise.ratePerSec, plan.compromise.fromMs, plan.compromise.toMs, () => work.attackerDecrypt(attacker)));
  }

  progress.start(o.durationMs);
  const inFlight = new Set<Promise<void>>();
  let lastProgress = 0;
  for (let s = earliest(streams); s !== null; s = earliest(streams)) {
    const at = s.next;
    if (clock instanceof SimulatedClock) clock.set(at);
    else {
      const delay = (clock as ScaledClock).realDelayUntil(at);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    }
    phase = phaseAt(plan, at);
    const job = s.fire();
    if (live) {
      // Due work starts on time even while earlier calls wait on KMS; bounded, though.
      const tracked = job.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (inFlight.size >= 256) await Promise.race(inFlight);
    } else {
      await job;
    }
    await sink.drained();
    if (Date.now() - lastProgress > 200) {
      lastProgress = Date.now();
      progress.update(at - o.startMs, new Date(at).toISOString(), phase.label, counters);
    }
  }
  await Promise.all(inFlight);
  progress.update(o.durationMs, new Date(endMs).toISOString(), phase.label, counters);
  progress.stop();

  await sink.close();
  await trail.close();
  await labels.close();
  if (statePath) {
    await mkdir(dirname(statePath), { recursive: true });
    await kms.save(statePath, io.kmsRootKey!);
  }
  for (const w of estate.services.values()) for (const e of w.engines) e.clearCaches();

  return {
    scenario: o.scenario,
    seed: o.seed,
    window: { start: new Date(o.startMs).toISOString(), end: new Date(endMs).toISOString() },
    counters,
    cloudTrail: { files: trail.stats.filesWritten, records: trail.stats.recordsWritten },
    labels: labels.count,
    catalog: { objects: catalog.size, evicted: catalog.evicted },
    realMs: Date.now() - realStart,
  };
}

export const outputLayout = (outDir: string) => ({
  cloudTrail: join(outDir, 'AWSLogs'),
  operations: join(outDir, 'operations'),
  dekRecords: join(outDir, 'dek-records'),
  labels: join(outDir, 'labels'),
});
