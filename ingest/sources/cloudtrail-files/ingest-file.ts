import type { Pipeline } from '../../pipeline/pipeline';
import { fileCheckpoint, type FileCounts } from './file-checkpoint';
import { readLogFile, type LogFileRead, type TimePolicy } from './read-log-file';
import type { FoundFile } from './walk';

export const CLOUDTRAIL_FILES_SOURCE = 'cloudtrail-files';

export type IngestedFile = { counts: FileCounts; committed: Promise<void> };

/**
 * Submits a read log file's records, dead letters and checkpoint as one unit, so the
 * checkpoint commits with the file's last record. Waits while the pipeline is full.
 */
export async function submitLogFile(file: FoundFile, read: LogFileRead, pipeline: Pipeline): Promise<IngestedFile> {
  const receipt = await pipeline.submit({
    auditEvents: read.auditEvents,
    deadLetters: read.deadLetters,
    checkpoints: [fileCheckpoint(pipeline.source, file, read.counts)],
  });
  return { counts: read.counts, committed: receipt.committed };
}

/** Reads and submits one log file; null when it vanished before it could be read. */
export async function ingestLogFile(file: FoundFile, pipeline: Pipeline, now: Date, times: TimePolicy): Promise<IngestedFile | null> {
  const read = await readLogFile(file, pipeline.source, now, times);
  return read === null ? null : submitLogFile(file, read, pipeline);
}
