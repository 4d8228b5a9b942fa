import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError, type OpenMode } from '../types';
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion } from './migrations';

/** How long a connection waits for another's lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5_000;
/**
 * Page cache per connection (negative: KiB). The default 2 MiB is small next to the
 * indexes of millions of operations (the unique index on random UUIDs is touched all
 * over by every batch); SQLite allocates the cache as pages are used, up to 64 MiB.
 */
export const CACHE_KIB = -65_536;

/**
 * Opens the database file. The writer (one process: the ingest service) turns on WAL and
 * migrates; readers (the dashboard, other processes) open read-only, never migrate, and
 * refuse a schema other than the one this code reads, with a message that says what to do.
 */
export function openDatabase(path: string, mode: OpenMode, nowMs: number): Database.Database {
  if (mode === 'readonly') return openReader(path);
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    // WAL lets readers in other processes read while the writer writes; the mode persists in the file.
    db.pragma('journal_mode = WAL');
    // In WAL, NORMAL stays consistent after a crash (a batch and its checkpoint commit or vanish together).
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma(`cache_size = ${CACHE_KIB}`);
    migrate(db, nowMs);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function openReader(path: string): Database.Database {
  if (!existsSync(path)) {
    throw new StoreError(`no keyscope database at ${path}; start the ingest service (the writer) first`);
  }
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma(`cache_size = ${CACHE_KIB}`);
    const version = schemaVersion(db);
    if (version !== LATEST_SCHEMA_VERSION) {
      const what = version < LATEST_SCHEMA_VERSION ? 'older than' : 'newer than';
      throw new StoreError(
        `database ${path} has schema version ${version}, ${what} this reader's ${LATEST_SCHEMA_VERSION}; ` +
          'readers never migrate: run the ingest service of the same keyscope version to migrate it',
      );
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
