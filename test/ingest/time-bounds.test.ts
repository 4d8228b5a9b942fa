import { afterEach, describe, expect, it } from 'vitest';
import { planImport } from '../../ingest/import/import-plan';
import { runImport } from '../../ingest/import/run-import';
import { silentLogger } from '../../ingest/log';
import { Pipeline } from '../../ingest/pipeline/pipeline';
import { CLOUDTRAIL_FILES_SOURCE } from '../../ingest/sources/cloudtrail-files/ingest-file';
import { CloudTrailWatcher } from '../../ingest/sources/cloudtrail-files/watcher';
import { DEFAULT_TIME_BOUNDS } from '../../lib/model/time-window';
import { kmsApiCall, uuidFor } from '../support/cloudtrail-fixtures';
import { makeDekRecord, makeOperation } from '../support/event-fixtures';
import { openTempStore } from '../support/temp-store';
import { kmsEvents, makePoller, NOW, startHarness } from './cloudtrail-api/support/harness';
import { countRows, deadLetters, query } from './support/db';
import { scratchDir } from './support/file-source-harness';
import { ndjson, startIntake } from './support/intake-harness';

/**
 * Times from outside are bounded at each source (lib/model/time-window.ts): ahead of the
 * server clock by more than the skew is refused everywhere; older than the live retention
 * is refused by live sources only; `import` takes history back to 2010.
 */
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('time bounds at the NDJSON intake (live)', () => {
  it('answers 207 naming each line dated in the future or beyond the retention, dead-letters them, stores the rest', async () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    const intake = await startIntake({}, { now: () => new Date(now), timeBounds: DEFAULT_TIME_BOUNDS });
    cleanups.push(() => intake.close());
    const at = (i: number, ms: number) => ({ ...makeOperation(i), time: iso(ms) });
    const body = ndjson([at(0, now - 60_000), at(1, now + 10 * 60_000), at(2, now - 401 * DAY), at(3, now + 4 * 60_000)]);
    const res = await intake.post('/v1/operations', body);
    expect(res.status).toBe(207);
    expect(res.json.accepted).toBe(2);
    const rejected = res.json.rejected as Array<{ line: number; error: string }>;
    expect(rejected.map((r) => r.line)).toEqual([2, 3]);
    expect(rejected[0]!.error).toBe(`time ${iso(now + 10 * 60_000)} is 10 min ahead of the server clock (at most 5 min allowed; KEYSCOPE_MAX_FUTURE_SKEW_SECONDS)`);
    expect(rejected[1]!.error).toMatch(/^time \S+ is older than live sources accept \(400 days; KEYSCOPE_LIVE_RETENTION_DAYS\): load history with `ingest import`$/);
    expect(deadLetters(intake.dbPath).map((d) => d.reason)).toEqual(rejected.map((r) => r.error));
    expect(countRows(intake.dbPath, 'key_operations')).toBe(2);
  });

  it('bounds a DEK record by its updatedAt: one dated 9999 cannot supersede the real ones', async () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    const intake = await startIntake({}, { now: () => new Date(now), timeBounds: DEFAULT_TIME_BOUNDS });
    cleanups.push(() => intake.close());
    const forged = { ...makeDekRecord(1), encryptedAt: iso(now - DAY), updatedAt: '9999-12-31T23:59:59Z' };
    const res = await intake.post('/v1/dek-records', ndjson([forged, { ...makeDekRecord(2), encryptedAt: iso(now - DAY), updatedAt: iso(now - DAY) }]));
    expect(res.status).toBe(207);
    expect((res.json.rejected as Array<{ error: string }>)[0]!.error).toMatch(/^updatedAt 9999-12-31T23:59:59Z is \d+\.\d years ahead of the server clock/);
    expect(countRows(intake.dbPath, 'dek_records')).toBe(1);
  });
});

describe('time bounds on trail files: the watcher is live, import takes history', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  const records = [
    kmsApiCall({ eventName: 'Decrypt', label: 'recent', eventTime: iso(now - 2 * 3600_000).replace('.000Z', 'Z') }),
    kmsApiCall({ eventName: 'Decrypt', label: 'two-years-old', eventTime: '2024-05-01T00:00:00Z' }),
    kmsApiCall({ eventName: 'Decrypt', label: 'tomorrow', eventTime: iso(now + DAY).replace('.000Z', 'Z') }),
    kmsApiCall({ eventName: 'Decrypt', label: 'before-kms', eventTime: '2009-06-01T00:00:00Z' }),
  ];
  const idOf = (label: string) => uuidFor(`event:${label}`);
  const writeTree = () => {
    const s = scratchDir();
    cleanups.push(() => s.cleanup());
    s.write('AWSLogs/111122223333/CloudTrail/us-west-2/2026/06/01/111122223333_CloudTrail_us-west-2_20260601T1000Z_a.json.gz', JSON.stringify({ Records: records }));
    return s.dir;
  };

  it('the watcher stores the recent record and dead-letters the old, future and pre-2010 ones with their reasons', async () => {
    const root = writeTree();
    const t = await openTempStore();
    const pipeline = new Pipeline({ source: CLOUDTRAIL_FILES_SOURCE, store: t.store, batchRecords: 100, batchMaxAgeMs: 10 });
    const watcher = new CloudTrailWatcher({ root, pipeline, store: t.store, pollIntervalMs: 60_000, settleMs: 0, logger: silentLogger(), now: () => new Date(now), timeBounds: DEFAULT_TIME_BOUNDS });
    cleanups.push(async () => {
      await watcher.stop();
      await pipeline.close();
      await t.cleanup();
    });
    await watcher.pollOnce();
    await pipeline.flush();
    expect(query<{ id: string }>(t.path, 'SELECT id FROM audit_events').map((r) => r.id)).toEqual([idOf('recent')]);
    const reasons = deadLetters(t.path).map((d) => d.reason).sort();
    expect(reasons).toHaveLength(3);
    expect(reasons.some((r) => /^eventTime 2024-05-01T00:00:00Z is older than live sources accept/.test(r))).toBe(true);
    expect(reasons.some((r) => /^eventTime \S+ is 24 h ahead of the server clock/.test(r))).toBe(true);
    expect(reasons.some((r) => /^eventTime 2009-06-01T00:00:00Z is older than live sources accept/.test(r))).toBe(true);
  });

  it('import of the same file stores the recent and the two-year-old record, and refuses the future and pre-2010 ones', async () => {
    const root = writeTree();
    const t = await openTempStore();
    cleanups.push(() => t.cleanup());
    const summary = await runImport({ plan: await planImport(root), store: t.store, logger: silentLogger(), batchRecords: 50, batchMaxAgeMs: 10, now: () => new Date(now) });
    expect(summary).toMatchObject({ stored: 2, deadLettered: 2 });
    expect(query<{ id: string }>(t.path, 'SELECT id FROM audit_events ORDER BY time_ms').map((r) => r.id)).toEqual([idOf('two-years-old'), idOf('recent')]);
    const reasons = deadLetters(t.path).map((d) => d.reason).sort();
    expect(reasons[0]).toBe('eventTime 2009-06-01T00:00:00Z is before 2010-01-01, older than any KMS audit record');
    expect(reasons[1]).toMatch(/^eventTime \S+ is 24 h ahead of the server clock/);
  });
});

describe('the watcher and history older than the live retention', () => {
  it('does not read day folders wholly older than the retention, dead-letters nothing of them, and says to import them', async () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    const s = scratchDir();
    cleanups.push(() => s.cleanup());
    const prefix = 'AWSLogs/111122223333/CloudTrail/us-west-2';
    s.write(`${prefix}/2024/05/01/111122223333_CloudTrail_us-west-2_20240501T0000Z_a.json.gz`, JSON.stringify({ Records: [kmsApiCall({ eventName: 'Decrypt', label: 'old', eventTime: '2024-05-01T00:00:00Z' })] }));
    s.write(`${prefix}/2026/06/01/111122223333_CloudTrail_us-west-2_20260601T1000Z_b.json.gz`, JSON.stringify({ Records: [kmsApiCall({ eventName: 'Decrypt', label: 'new', eventTime: '2026-06-01T10:00:00Z' })] }));
    const t = await openTempStore();
    const lines: Array<Record<string, unknown>> = [];
    const logger = silentLogger();
    logger.info = ((obj: Record<string, unknown>, msg?: string) => void lines.push({ ...obj, msg })) as typeof logger.info;
    const pipeline = new Pipeline({ source: CLOUDTRAIL_FILES_SOURCE, store: t.store, batchRecords: 100, batchMaxAgeMs: 10 });
    const watcher = new CloudTrailWatcher({ root: s.dir, pipeline, store: t.store, pollIntervalMs: 60_000, settleMs: 0, logger, now: () => new Date(now), timeBounds: DEFAULT_TIME_BOUNDS });
    cleanups.push(async () => {
      await watcher.stop();
      await pipeline.close();
      await t.cleanup();
    });
    expect(await watcher.pollOnce()).toMatchObject({ files: 1, auditEvents: 1, deadLetters: 0 });
    await pipeline.flush();
    expect(query<{ id: string }>(t.path, 'SELECT id FROM audit_events').map((r) => r.id)).toEqual([uuidFor('event:new')]);
    expect(deadLetters(t.path)).toEqual([]);
    const notice = lines.filter((l) => /older than the live retention/.test(String(l.msg)));
    expect(notice).toHaveLength(1);
    expect(notice[0]).toMatchObject({ through: '2025-04-26' });
    await watcher.pollOnce();
    expect(lines.filter((l) => /older than the live retention/.test(String(l.msg)))).toHaveLength(1);
  });
});

describe('time bounds on LookupEvents (live)', () => {
  it('dead-letters events older than a short configured retention and stores the newer ones of the same window', async () => {
    const h = await startHarness();
    cleanups.push(() => h.close());
    // 48 events an hour apart over two days; a retention of one day keeps the newest 24.
    h.server.publish(kmsEvents(48, { stepMs: 3600_000, newest: NOW - 30 * 60_000 }));
    const p = makePoller(h, [{ profile: 'prod', region: 'eu-west-1' }], { timeBounds: { ...DEFAULT_TIME_BOUNDS, liveRetentionMs: DAY } });
    cleanups.push(() => p.close());
    expect((await p.poller.runOnce())[0]!.status).toBe('done');
    expect(countRows(h.dbPath, 'audit_events')).toBe(24);
    const dl = deadLetters(h.dbPath);
    expect(dl).toHaveLength(24);
    expect(dl.every((d) => /^eventTime \S+ is older than live sources accept \(24 h; KEYSCOPE_LIVE_RETENTION_DAYS\)/.test(d.reason))).toBe(true);
  });
});
