import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyFileCounts, fileCheckpoint } from '../../ingest/sources/cloudtrail-files/file-checkpoint';
import { CLOUDTRAIL_FILES_SOURCE } from '../../ingest/sources/cloudtrail-files/ingest-file';
import { walkLogFiles } from '../../ingest/sources/cloudtrail-files/walk';
import type { Checkpoint, Store } from '../../lib/store/types';

/** An organization trail's prefixes: 2 accounts × 2 Regions. */
export const PREFIXES = ['111122223333', '444455556666'].flatMap((a) => ['us-east-1', 'eu-west-1'].map((r) => `AWSLogs/o-abcdefghij/${a}/CloudTrail/${r}`));
export const OLD_FILES_PER_DAY = 100;
export const OPEN_FILES_PER_DAY = 48;

const day = (first: string, i: number) => new Date(Date.parse(`${first}T00:00:00Z`) - i * 86_400_000).toISOString().slice(0, 10);

/**
 * A tree with `olderFiles` files in closed days (history grows in days: 100 files a day
 * per prefix, back from the day before yesterday) and the same open days in every tree
 * (today and yesterday, 48 files each per prefix). Files are tiny: a poll reads none.
 */
export function writeWatcherTree(root: string, olderFiles: number, today: string): void {
  const oldDays = Math.ceil(olderFiles / PREFIXES.length / OLD_FILES_PER_DAY);
  for (const prefix of PREFIXES) {
    const put = (d: string, n: number) => {
      const dir = join(root, prefix, ...d.split('-'));
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < n; i++) writeFileSync(join(dir, `${prefix.split('/')[2]}_CloudTrail_${d}_${String(i).padStart(4, '0')}.json.gz`), '');
    };
    for (let i = 0; i < 2; i++) put(day(today, i), OPEN_FILES_PER_DAY);
    for (let i = 0; i < oldDays; i++) put(day(today, i + 2), OLD_FILES_PER_DAY);
  }
}

/** Checkpoints every file of the tree, as the watcher would have when it read them. */
export async function checkpointTree(root: string, store: Store): Promise<number> {
  let batch: Checkpoint[] = [];
  let n = 0;
  for await (const f of walkLogFiles(root)) {
    batch.push(fileCheckpoint(CLOUDTRAIL_FILES_SOURCE, f, emptyFileCounts()));
    n++;
    if (batch.length === 5000) {
      await store.writeBatch({ source: CLOUDTRAIL_FILES_SOURCE, checkpoints: batch });
      batch = [];
    }
  }
  if (batch.length > 0) await store.writeBatch({ source: CLOUDTRAIL_FILES_SOURCE, checkpoints: batch });
  return n;
}
