import type { Alert } from '../model/alert';
import type { AuditEvent } from '../model/audit-event';
import type { DeadLetter } from '../model/dead-letter';
import type { DekRecord } from '../model/dek-record';
import type { KeyOperation } from '../model/key-operation';
import type { KeyState } from '../model/key-state';
import type { z } from 'zod';
import type { Question } from '../questions/define';

/** JSON a checkpoint may hold: a cursor, a file offset, a timestamp. */
export type CheckpointValue = null | boolean | number | string | CheckpointValue[] | { [key: string]: CheckpointValue };

/** An ingest source's progress marker, e.g. ('cloudtrail-files', 'us-east-1') → last file read. */
export type Checkpoint = { source: string; key: string; value: CheckpointValue };
export type StoredCheckpoint = Checkpoint & { updatedAt: string };

/**
 * Records to store in one transaction. Checkpoints commit with the records, so a source
 * that writes its cursor here is exactly-once across crashes: either both land or neither.
 */
export type WriteBatch = {
  /** The ingest source the records came from (for ingest health); 'unspecified' when absent. */
  source?: string;
  auditEvents?: readonly AuditEvent[];
  keyOperations?: readonly KeyOperation[];
  dekRecords?: readonly DekRecord[];
  deadLetters?: readonly DeadLetter[];
  keyStates?: readonly KeyState[];
  alerts?: readonly Alert[];
  checkpoints?: readonly Checkpoint[];
};

export const RECORD_KINDS = ['auditEvents', 'keyOperations', 'dekRecords', 'deadLetters', 'keyStates', 'alerts'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/**
 * What a write did to each record: new id (inserted), existing id replaced (updated: a DEK
 * record with a later updatedAt, a changed key state or alert), or existing id left as it
 * was (duplicates: the same record again, or a DEK record no newer than the stored one).
 */
export type WriteCounts = { inserted: number; updated: number; duplicates: number };
export type WriteResult = Record<RecordKind, WriteCounts> & { checkpoints: number };

/**
 * The one storage interface (DESIGN.md, "Stores"). Every backend (sqlite now,
 * Elasticsearch later) implements it; the factory in ./index.ts picks one from config.
 *
 * Writes are idempotent by record id: AuditEvent.id, KeyOperation.id, DeadLetter.id;
 * DekRecord.objectId (a later updatedAt supersedes); KeyState.keyArn (merged per fact into
 * the stored state, lib/model/key-state-merge.ts); Alert.id (the latest write wins, as the detector re-evaluates).
 * Reads are `answer(question, params)`: the question (lib/questions/registry.ts) carries
 * its answer for each backend, and the store runs it with what it needs (read sessions or a
 * searcher), the request's signal and the question's time limit.
 */
export interface Store {
  /** Answers a question with parsed parameters; `signal` cancels the read (a closed browser tab). */
  answer<P extends z.ZodType, R extends z.ZodType>(question: Question<string, P, R>, params: z.output<P>, options?: AnswerOptions): Promise<z.output<R>>;
  writeBatch(batch: WriteBatch): Promise<WriteResult>;
  /** Every stored key state, as written (asOf included): what the key inventory continues from after a restart. */
  keyStates(): Promise<KeyState[]>;
  getCheckpoint(source: string, key: string): Promise<CheckpointValue | null>;
  listCheckpoints(source: string): Promise<StoredCheckpoint[]>;
  /** Deletes the source's checkpoints whose key starts with any of `keyPrefixes` (the trail watcher's closed days); returns how many. */
  deleteCheckpoints(source: string, keyPrefixes: readonly string[]): Promise<number>;
  /** Deletes dead letters received before `before` (their retention, KEYSCOPE_DEAD_LETTER_RETENTION_DAYS); returns how many. */
  pruneDeadLetters(before: Date): Promise<number>;
  close(): Promise<void>;
}

export type AnswerOptions = { signal?: AbortSignal | undefined };

/** How to open a store: the writer (the ingest service) migrates; readers never do. */
export type OpenMode = 'readwrite' | 'readonly';

export class StoreError extends Error {
  override readonly name = 'StoreError';
}
