import Database from 'better-sqlite3';

/** Reads a store's database over its own read-only connection, as another process would. */
export function query<T = Record<string, unknown>>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export function countRows(dbPath: string, table: string): number {
  return query<{ n: number }>(dbPath, `SELECT COUNT(*) AS n FROM ${table}`)[0]!.n;
}

export type DeadLetterRow = { id: string; source: string; location: string; reason: string; payload: string };

export function deadLetters(dbPath: string): DeadLetterRow[] {
  return query<DeadLetterRow>(dbPath, 'SELECT id, source, location, reason, payload FROM dead_letters ORDER BY location');
}
