import pino, { type Logger } from 'pino';
import { Pipeline } from '../../../ingest/pipeline/pipeline';
import { CLOUDTRAIL_FILES_SOURCE } from '../../../ingest/sources/cloudtrail-files/ingest-file';
import { CloudTrailWatcher, type WatcherOptions } from '../../../ingest/sources/cloudtrail-files/watcher';
import { DEFAULT_TIME_BOUNDS } from '../../../lib/model/time-window';
import { kmsApiCall, uuidFor } from '../../support/cloudtrail-fixtures';
import { openTempStore } from '../../support/temp-store';
import { scratchDir } from './file-source-harness';

export const ACCOUNT_PREFIX = 'AWSLogs/111122223333/CloudTrail/us-east-1';
export const ORG_PREFIX = 'AWSLogs/o-abcdefghij/444455556666/CloudTrail/eu-west-1';

export type LogLine = { level: number; msg: string } & Record<string, unknown>;

/** A logger whose JSON lines land in `lines`: to assert what was logged, and how often. */
export function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  return { lines, logger: pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) }) };
}

/**
 * A watcher over a scratch trail tree with a clock the test moves, on a store that
 * outlives `restart()` (a new pipeline and watcher, as after a process restart).
 */
export async function startTrailWatch(options: Pick<WatcherOptions, 'lookbackDays' | 'settleMs'> = {}) {
  const tree = scratchDir();
  const temp = await openTempStore();
  const log = captureLogger();
  let nowMs = Date.parse('2026-06-10T12:00:00Z');
  const open = () => {
    const pipeline = new Pipeline({ source: CLOUDTRAIL_FILES_SOURCE, store: temp.store, batchRecords: 500, batchMaxAgeMs: 50 });
    const watcher = new CloudTrailWatcher({
      root: tree.dir, pipeline, store: temp.store, pollIntervalMs: 60_000, logger: log.logger, now: () => new Date(nowMs), timeBounds: DEFAULT_TIME_BOUNDS, ...options,
    });
    return { pipeline, watcher };
  };
  let current = open();
  return {
    tree,
    store: temp.store,
    dbPath: temp.path,
    log: log.lines,
    get watcher() {
      return current.watcher;
    },
    setNow: (iso: string) => (nowMs = Date.parse(iso)),
    /** One poll, then everything it submitted committed. */
    poll: async () => {
      const r = await current.watcher.pollOnce();
      await current.pipeline.flush();
      return r;
    },
    restart: async () => {
      await current.watcher.stop();
      await current.pipeline.close();
      current = open();
    },
    /** A trail file under `prefix` for `day` (YYYY-MM-DD) holding one KMS call of that day; returns its path. */
    writeLog: (prefix: string, day: string, name = 'a') => {
      const rel = `${prefix}/${day.replaceAll('-', '/')}/${name}.json.gz`;
      return tree.write(rel, JSON.stringify({ Records: [kmsApiCall({ eventName: 'Decrypt', label: rel, eventTime: `${day}T00:05:00Z` })] }));
    },
    idOf: (prefix: string, day: string, name = 'a') => uuidFor(`event:${prefix}/${day.replaceAll('-', '/')}/${name}.json.gz`),
    fileCheckpointKeys: async () => (await temp.store.listCheckpoints(CLOUDTRAIL_FILES_SOURCE)).map((c) => c.key).filter((k) => !k.startsWith('cursor:')),
    cursors: async () => (await temp.store.listCheckpoints(CLOUDTRAIL_FILES_SOURCE)).filter((c) => c.key.startsWith('cursor:')).map((c) => [c.key, c.value]),
    close: async () => {
      await current.watcher.stop();
      await current.pipeline.close();
      await temp.cleanup();
      tree.cleanup();
    },
  };
}

export type TrailWatch = Awaited<ReturnType<typeof startTrailWatch>>;

/** Consecutive days from `first` (YYYY-MM-DD), `n` of them. */
export function days(first: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => new Date(Date.parse(`${first}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
}
