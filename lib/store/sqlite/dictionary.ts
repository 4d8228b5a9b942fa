import type { Database, Statement } from 'better-sqlite3';

/** Beyond this many cached strings the cache starts over, bounding the writer's memory. */
const MAX_CACHED = 50_000;

/**
 * Interns repeated strings (service, tenant, KEK ARN, ...) as integer ids, so ten million
 * operation rows carry small integers instead of copies of 80-byte ARNs. Writer only.
 */
export class Dictionary {
  private readonly cache = new Map<string, number>();
  private readonly select: Statement<[string], { id: number }>;
  private readonly insert: Statement<[string]>;

  constructor(db: Database) {
    this.select = db.prepare('SELECT id FROM dict WHERE value = ?');
    this.insert = db.prepare('INSERT INTO dict (value) VALUES (?)');
  }

  /** Must run inside the write transaction; call `forget` if that transaction rolls back. */
  id(value: string): number {
    const cached = this.cache.get(value);
    if (cached !== undefined) return cached;
    const id = this.select.get(value)?.id ?? Number(this.insert.run(value).lastInsertRowid);
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(value, id);
    return id;
  }

  optionalId(value: string | null): number | null {
    return value === null ? null : this.id(value);
  }

  /** Drops cached ids that a rolled-back transaction may have created. */
  forget(): void {
    this.cache.clear();
  }
}
