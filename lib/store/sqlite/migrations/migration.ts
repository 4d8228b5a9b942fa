import type { Database } from 'better-sqlite3';

/** One schema step. Versions are consecutive from 1; a shipped migration never changes. */
export type Migration = {
  version: number;
  name: string;
  /** Runs inside the migration transaction, with the clock of the process that migrates. */
  up: (db: Database, nowMs: number) => void;
};
