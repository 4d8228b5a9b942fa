import type { Database, Statement } from 'better-sqlite3';
import type { SqlQuery } from './sql/query';

/** Enough for every question × filter combination × bucket width in use. */
const MAX_STATEMENTS = 500;

/**
 * Reuses prepared statements by SQL text. Builders emit the same text for the same shape
 * of question (values are bound), so a dashboard's repeated polls never re-prepare.
 * A statement read through `column` stays in pluck mode; builders give it its own text.
 */
export class StatementCache {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  prepare(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (stmt === undefined) {
      if (this.statements.size >= MAX_STATEMENTS) this.statements.clear();
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  all<T>(q: SqlQuery): T[] {
    return this.prepare(q.sql).all(q.params) as T[];
  }

  /** Streams the first column of each row, without building row objects or one big array. */
  column<T>(q: SqlQuery): IterableIterator<T> {
    return this.prepare(q.sql).pluck(true).iterate(q.params) as IterableIterator<T>;
  }

  get<T>(q: SqlQuery): T {
    return this.prepare(q.sql).get(q.params) as T;
  }
}
