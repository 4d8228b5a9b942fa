import type { ContainerKind } from '../../../lib/model/cloudtrail/containers';
import type { Checkpoint, CheckpointValue } from '../../../lib/store/types';
import type { FoundFile } from './walk';

/** What one file gave; kept in its checkpoint so an operator can see it without re-reading. */
export type FileCounts = {
  /** Records in the file (every event source). */
  records: number;
  /** Valid KMS records, handed to the store. */
  auditEvents: number;
  /** Records of other services: counted, never dead-lettered. */
  notKms: number;
  /** Dead letters: one per malformed record, or one for a file that cannot be read at all. */
  deadLetters: number;
  corrupt: boolean;
  /** What the file was (trail file, lookup-events output, JSON lines, digest, ...); null when unreadable. */
  container: ContainerKind | null;
};

export const emptyFileCounts = (): FileCounts => ({ records: 0, auditEvents: 0, notKms: 0, deadLetters: 0, corrupt: false, container: null });

/**
 * The per-file checkpoint: key = absolute path, value = the size and mtime read. A file is
 * done when a checkpoint with its current size and mtime exists; one that changes (a
 * re-delivery, a file still growing when read) is read again and its records deduplicated.
 */
export function fileCheckpoint(source: string, file: FoundFile, counts: FileCounts): Checkpoint {
  return { source, key: file.path, value: { size: file.size, mtimeMs: file.mtimeMs, ...counts } };
}

export function isFileDone(value: CheckpointValue | null, file: FoundFile): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return value.size === file.size && value.mtimeMs === file.mtimeMs;
}
