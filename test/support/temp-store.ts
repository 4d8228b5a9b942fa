import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../lib/store';
import type { Store } from '../../lib/store/types';

/** A private database file per suite (STYLE.md 14): no shared state, no global wipes. */
export function tempDbPath(): { path: string; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-store-'));
  const path = join(dir, `${randomUUID()}.db`);
  return { path, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function openTempStore(clock: () => number = Date.now): Promise<{ store: Store; path: string; cleanup: () => Promise<void> }> {
  const db = tempDbPath();
  const store = await openStore({ backend: 'sqlite', sqlitePath: db.path }, { clock });
  return {
    store,
    path: db.path,
    cleanup: async () => {
      await store.close();
      db.cleanup();
    },
  };
}

/** Every row of every table, read over a separate connection: to show a write changed nothing. */
export function dumpTables(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY 1, 2`).all()]));
  } finally {
    db.close();
  }
}
