import type { Filters } from '../../../questions/common';

/** A statement and its named parameters; builders are pure so they can be tested without a database. */
export type SqlQuery = { sql: string; params: Record<string, string | number> };

/**
 * Inlines an integer (bucket widths, thresholds from a fixed list). better-sqlite3 binds
 * JS numbers as REAL, which would turn `time_ms / @bucket` into float division; these
 * values never come from user text, and the assertion keeps it so.
 */
export function int(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return String(n);
}

/** Column names of the filter dimensions in the table being queried. */
export type FilterColumns = { service: string; tenant: string; kek: string };
export const DIM_COLUMNS: FilterColumns = { service: 'service_id', tenant: 'tenant_id', kek: 'kek_ref' };

/**
 * Filter clauses over interned dimensions. A value never stored resolves to NULL and so
 * matches nothing, which is the right answer; values are always bound, never inlined.
 */
export function filterClauses(filters: Filters, cols: FilterColumns = DIM_COLUMNS): SqlQuery {
  const clauses: string[] = [];
  const params: Record<string, string> = {};
  const add = (col: string, name: string, value: string | undefined): void => {
    if (value === undefined) return;
    clauses.push(`${col} = (SELECT id FROM dict WHERE value = @${name})`);
    params[name] = value;
  };
  add(cols.service, 'f_service', filters.service);
  add(cols.tenant, 'f_tenant', filters.tenant);
  add(cols.kek, 'f_kek', filters.kekId);
  return { sql: clauses.map((c) => ` AND ${c}`).join(''), params };
}
