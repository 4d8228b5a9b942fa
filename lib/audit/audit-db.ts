import type { Database } from 'better-sqlite3';
import { ensureAuditTable } from './audit-log';

/** The auth database connection behind each better-auth instance, so code holding `auth` can append. */
const byAuth = new WeakMap<object, Database>();

export function registerAuditDb(auth: object, db: Database): void {
  ensureAuditTable(db);
  byAuth.set(auth, db);
}

export function auditDbOf(auth: object): Database {
  const db = byAuth.get(auth);
  if (db === undefined) throw new Error('this auth instance was not made by createAuth (lib/auth/create-auth.ts)');
  return db;
}
