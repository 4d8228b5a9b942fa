import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { silentLogger } from '../../../ingest/log';
import { Pipeline } from '../../../ingest/pipeline/pipeline';
import { CLOUDTRAIL_FILES_SOURCE } from '../../../ingest/sources/cloudtrail-files/ingest-file';
import { CloudTrailWatcher } from '../../../ingest/sources/cloudtrail-files/watcher';
import { DEFAULT_TIME_BOUNDS } from '../../../lib/model/time-window';
import type { Store } from '../../../lib/store/types';
import { openTempStore } from '../../support/temp-store';

export type FileSourceHarness = {
  store: Store;
  dbPath: string;
  pipeline: Pipeline;
  watcher: CloudTrailWatcher;
  /** One poll, then everything it submitted committed. */
  poll: () => ReturnType<CloudTrailWatcher['pollOnce']>;
  close: () => Promise<void>;
};

export async function startFileSource(root: string, settleMs = 0): Promise<FileSourceHarness> {
  const temp = await openTempStore();
  const pipeline = new Pipeline({ source: CLOUDTRAIL_FILES_SOURCE, store: temp.store, batchRecords: 500, batchMaxAgeMs: 50 });
  // The hand-made records are dated 2025: the live retention is not what these tests are about.
  const timeBounds = { ...DEFAULT_TIME_BOUNDS, liveRetentionMs: 20 * 365 * 24 * 3600_000 };
  const watcher = new CloudTrailWatcher({ root, pipeline, store: temp.store, pollIntervalMs: 60_000, settleMs, logger: silentLogger(), timeBounds });
  return {
    store: temp.store,
    dbPath: temp.path,
    pipeline,
    watcher,
    poll: async () => {
      const r = await watcher.pollOnce();
      await pipeline.flush();
      return r;
    },
    close: async () => {
      await watcher.stop();
      await pipeline.close();
      await temp.cleanup();
    },
  };
}

/** A scratch directory for hand-made log files. */
export function scratchDir(): { dir: string; write: (rel: string, content: string | Buffer, gz?: boolean) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-logs-'));
  return {
    dir,
    write: (rel, content, gz = rel.endsWith('.gz')) => {
      const path = join(dir, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, gz ? gzipSync(content) : content);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
