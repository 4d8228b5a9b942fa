import type { Config } from '../../lib/config';
import { formatSummary, nothingRead } from '../import/import-summary';
import { planImport } from '../import/import-plan';
import { runImport } from '../import/run-import';
import { createLogger } from '../log';
import { openWriterStore } from '../open-store';
import { killAfterWrites } from '../pipeline/failpoint';
import { createProgressBar } from './progress-bar';

export type ImportFlags = { db?: string; json?: boolean; progress: boolean; concurrency?: number };

/**
 * `ingest import <path>`: a thin adapter over ingest/import. Exit 0 when anything could be
 * read (dead letters included); 1 when the path is missing or nothing in it was readable.
 */
export async function importCommand(path: string, flags: ImportFlags, config: Config): Promise<number> {
  const logger = createLogger(config.logLevel, 2);
  const plan = await planImport(path);
  // --db names a sqlite file, whatever KEYSCOPE_STORE says.
  const storeConfig = flags.db ? { backend: 'sqlite' as const, sqlitePath: flags.db } : config.store;
  const store = await openWriterStore(storeConfig, logger);
  try {
    const summary = await runImport({
      plan, store, logger,
      batchRecords: config.ingest.batchRecords,
      batchMaxAgeMs: config.ingest.batchMaxAgeMs,
      timeBounds: config.ingest.timeBounds,
      concurrency: flags.concurrency,
      progress: flags.progress ? createProgressBar() : undefined,
      onWrite: killAfterWrites(config.failpoints.killAfterWrites),
    });
    process.stdout.write(flags.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
    if (nothingRead(summary)) {
      process.stderr.write(
        summary.files === 0
          ? `ingest import: nothing to import under ${path}: no CloudTrail log files (*.json, *.json.gz) and no operations/ or dek-records/ NDJSON\n`
          : `ingest import: none of the ${summary.files} files under ${path} could be read (see the dead letters)\n`,
      );
      return 1;
    }
    return 0;
  } finally {
    await store.close();
  }
}
