import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { recordAudit, type AuditActor } from '../audit/audit-log';
import type { Role } from '../auth/roles';
import { NotFoundError } from '../questions/errors';
import { NewSavedSearchSchema, type NewSavedSearch, type SavedRange, type SavedSearch } from './schema';

/**
 * Saved searches live in the auth database beside users and emitter tokens (they belong to
 * users, not to the event store, which the dashboard only reads). Like keyscope's other tables
 * there, the table is created when first used; a later column would be added the same way.
 */
export const SAVED_SEARCH_TABLE = 'keyscope_saved_searches';
/** Per owner, so that one account cannot fill the auth database. */
export const MAX_SAVED_PER_OWNER = 200;
/** The list answers at most this many (the newest). */
export const LIST_LIMIT = 1000;

/** Who asks: the user (id for ownership, role for the admin's delete) as the audit log names them. */
export type SavedSearchCaller = AuditActor & { actorId: string; role: Role };

export class SavedSearchForbiddenError extends Error {
  override readonly name = 'SavedSearchForbiddenError';
}
export class SavedSearchLimitError extends Error {
  override readonly name = 'SavedSearchLimitError';
}

const ensured = new WeakSet<Database>();

export function ensureSavedSearchTable(db: Database): void {
  if (ensured.has(db)) return;
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${SAVED_SEARCH_TABLE} (
      id TEXT PRIMARY KEY,
      owner_id TEXT NOT NULL,
      owner_email TEXT NOT NULL,
      name TEXT NOT NULL,
      query TEXT NOT NULL,
      range_json TEXT NOT NULL,
      columns_json TEXT NOT NULL,
      shared INTEGER NOT NULL CHECK (shared IN (0, 1)),
      created_at_ms INTEGER NOT NULL,
      updated_at_ms INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ix_${SAVED_SEARCH_TABLE}_owner ON ${SAVED_SEARCH_TABLE}(owner_id, created_at_ms);
    CREATE INDEX IF NOT EXISTS ix_${SAVED_SEARCH_TABLE}_shared ON ${SAVED_SEARCH_TABLE}(created_at_ms) WHERE shared = 1;
  `);
  ensured.add(db);
}

type Row = {
  id: string; owner_id: string; owner_email: string; name: string; query: string; range_json: string; columns_json: string;
  shared: number; created_at_ms: number; updated_at_ms: number;
};

const toSaved = (r: Row, viewerId: string): SavedSearch => ({
  id: r.id, ownerId: r.owner_id, ownerEmail: r.owner_email, name: r.name, query: r.query,
  range: JSON.parse(r.range_json) as SavedRange, columns: JSON.parse(r.columns_json) as string[], shared: r.shared === 1,
  createdAt: new Date(r.created_at_ms).toISOString(), updatedAt: new Date(r.updated_at_ms).toISOString(), mine: r.owner_id === viewerId,
});

/** Validates (ZodError names each field), stores and audits in one transaction. */
export function createSavedSearch(db: Database, input: NewSavedSearch, by: SavedSearchCaller, nowMs = Date.now()): SavedSearch {
  const s = NewSavedSearchSchema.parse(input);
  ensureSavedSearchTable(db);
  const id = randomUUID();
  db.transaction(() => {
    const { n } = db.prepare(`SELECT count(*) AS n FROM ${SAVED_SEARCH_TABLE} WHERE owner_id = ?`).get(by.actorId) as { n: number };
    if (n >= MAX_SAVED_PER_OWNER) throw new SavedSearchLimitError(`you have ${MAX_SAVED_PER_OWNER} saved searches, the most one user may keep: delete one first`);
    db.prepare(`INSERT INTO ${SAVED_SEARCH_TABLE} (id, owner_id, owner_email, name, query, range_json, columns_json, shared, created_at_ms, updated_at_ms)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(id, by.actorId, by.actor, s.name, s.query, JSON.stringify(s.range), JSON.stringify(s.columns), s.shared ? 1 : 0, nowMs, nowMs);
    recordAudit(db, { by, action: 'search', target: `saved-search:${id}`, detail: { op: 'saved-search.create', name: s.name, query: s.query, range: s.range, shared: s.shared } }, nowMs);
  }).immediate();
  return toSaved(db.prepare(`SELECT * FROM ${SAVED_SEARCH_TABLE} WHERE id = ?`).get(id) as Row, by.actorId);
}

/** The caller's own searches and everyone's shared ones, newest first. */
export function listSavedSearches(db: Database, viewerId: string): SavedSearch[] {
  ensureSavedSearchTable(db);
  const rows = db.prepare(`SELECT * FROM ${SAVED_SEARCH_TABLE} WHERE owner_id = ? OR shared = 1 ORDER BY created_at_ms DESC, id DESC LIMIT ?`)
    .all(viewerId, LIST_LIMIT) as Row[];
  return rows.map((r) => toSaved(r, viewerId));
}

/** Deletes one: its owner may, or an admin (a shared search someone left behind); others get SavedSearchForbiddenError. */
export function deleteSavedSearch(db: Database, id: string, by: SavedSearchCaller, nowMs = Date.now()): SavedSearch {
  ensureSavedSearchTable(db);
  return db.transaction(() => {
    const row = db.prepare(`SELECT * FROM ${SAVED_SEARCH_TABLE} WHERE id = ?`).get(id) as Row | undefined;
    // Another user's private search is "not found" too: its existence is not the caller's to learn.
    if (row === undefined || (row.owner_id !== by.actorId && row.shared !== 1 && by.role !== 'admin')) throw new NotFoundError(`there is no saved search ${id}`);
    if (row.owner_id !== by.actorId && by.role !== 'admin') throw new SavedSearchForbiddenError(`only its owner (${row.owner_email}) or an admin may delete the saved search "${row.name}"`);
    db.prepare(`DELETE FROM ${SAVED_SEARCH_TABLE} WHERE id = ?`).run(id);
    recordAudit(db, { by, action: 'search', target: `saved-search:${id}`, detail: { op: 'saved-search.delete', name: row.name, owner: row.owner_email } }, nowMs);
    return toSaved(row, by.actorId);
  }).immediate();
}
