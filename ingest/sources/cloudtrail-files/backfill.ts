import type { Logger } from 'pino';
import type { TimeBounds } from '../../../lib/model/time-window';
import type { Store } from '../../../lib/store/types';
import type { Pipeline } from '../../pipeline/pipeline';
import { isFileDone, type FileCounts } from './file-checkpoint';
import { submitLogFile } from './ingest-file';
import { readLogFile, type LogFileRead } from './read-log-file';
import type { FoundFile } from './walk';

/** What became of one listed file. */
export type FileOutcome =
  | { kind: 'read'; counts: FileCounts }
  /** A checkpoint with its current size and mtime exists: imported before. */
  | { kind: 'already' }
  /** Reading it failed (I/O, not content): no checkpoint, a rerun tries again. */
  | { kind: 'failed'; error: string }
  /** Listed, then gone before it could be read. */
  | { kind: 'vanished' };

export type BackfillOptions = {
  files: AsyncIterator<FoundFile>;
  pipeline: Pipeline;
  store: Pick<Store, 'getCheckpoint'>;
  /** Files read and held at once (default 4); each is at most MAX_LOG_FILE_BYTES after gunzip. */
  concurrency?: number;
  now?: () => Date;
  logger?: Logger;
  /** Called as each file is decided, in completion order (not listing order). */
  onFile?: (file: FoundFile, outcome: FileOutcome) => void;
  /** Reads one file (tests slow it down); readLogFile by default. */
  read?: typeof readLogFile;
  /** Bounds on record times; a backfill is an import, which takes history (lib/model/time-window.ts). */
  timeBounds?: TimeBounds;
};

export const DEFAULT_BACKFILL_CONCURRENCY = 4;

/**
 * Reads a trail tree with `concurrency` files in flight: listing, checkpoint lookup, read,
 * gunzip and normalize of one file overlap those of the others and the store's writes.
 * Each file goes to the pipeline as one unit with its checkpoint, so it commits with its
 * last record whatever order files finish in (record order does not matter: writes are
 * idempotent by id). Memory is bounded: a worker holds one read file until the pipeline
 * takes it, and the pipeline makes submitters wait while its batches are full.
 */
export async function backfillLogFiles(o: BackfillOptions): Promise<void> {
  const concurrency = Math.max(1, Math.floor(o.concurrency ?? DEFAULT_BACKFILL_CONCURRENCY));
  const now = o.now ?? (() => new Date());
  const read = o.read ?? readLogFile;
  let failure: unknown = null;

  const next = async (): Promise<FoundFile | null> => {
    const r = await o.files.next();
    return r.done === true ? null : r.value;
  };

  const worker = async (): Promise<void> => {
    while (failure === null) {
      const file = await next();
      if (file === null) return;
      if (isFileDone(await o.store.getCheckpoint(o.pipeline.source, file.path), file)) {
        o.onFile?.(file, { kind: 'already' });
        continue;
      }
      let got: LogFileRead | null;
      try {
        got = await read(file, o.pipeline.source, now(), { mode: 'import', bounds: o.timeBounds });
      } catch (err) {
        const error = (err as Error).message;
        o.logger?.error({ file: file.path, err: error }, 'cannot read file; skipped');
        o.onFile?.(file, { kind: 'failed', error });
        continue;
      }
      if (got === null) {
        o.onFile?.(file, { kind: 'vanished' });
        continue;
      }
      await submitLogFile(file, got, o.pipeline);
      o.onFile?.(file, { kind: 'read', counts: got.counts });
    }
  };

  await Promise.all(
    Array.from({ length: concurrency }, () =>
      worker().catch((err: unknown) => {
        failure ??= err;
      }),
    ),
  );
  if (failure !== null) throw failure;
}
