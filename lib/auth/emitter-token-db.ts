import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ensureTokenTable } from './emitter-tokens';

let shared: { path: string; db: Database.Database } | undefined;

/** The auth database for managing tokens (the admin page and `npm run tokens`), with the token table ready. */
export function openTokenAdminDb(dbPath: string): Database.Database {
  mkdirSync(dirname(dbPath), { recursive: true });
  const db = new Database(dbPath);
  // Token hashes beside password hashes and sessions: keyscope's user only.
  chmodSync(dbPath, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  ensureTokenTable(db);
  return db;
}

/** One connection per process (the dashboard's route handlers and pages). */
export function sharedTokenAdminDb(dbPath: string): Database.Database {
  if (shared?.path !== dbPath) shared = { path: dbPath, db: openTokenAdminDb(dbPath) };
  return shared.db;
}
