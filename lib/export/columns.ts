import { z } from 'zod';
import type { AuditEvent } from '../model/audit-event';
import { AUDIT_FIELDS, resolveField, type FieldSpec } from '../query-language/fields';
import type { AuditRow } from '../questions/audit-common';

/** At most this many columns in an export or a saved search (the catalog has 27, plus context keys). */
export const MAX_COLUMNS = 64;

/** A catalog field name (lib/query-language/fields.ts), case-insensitive in, canonical out. */
export const CatalogColumnSchema = z.string().min(1).max(2200).transform((name, ctx): string => {
  const spec = resolveField(name);
  if (spec !== null) return spec.name;
  ctx.addIssue({ code: 'custom', message: `unknown field ${JSON.stringify(name.slice(0, 80))}: see the field catalog (docs/search-language.md)` });
  return z.NEVER;
});

export const ColumnsSchema = z
  .array(CatalogColumnSchema)
  .max(MAX_COLUMNS, `at most ${MAX_COLUMNS} columns`)
  .refine((names) => new Set(names).size === names.length, 'a column may be listed once');

/** What a CSV shows when no columns are chosen: the whole catalog, in its order. */
export const DEFAULT_COLUMNS: readonly string[] = AUDIT_FIELDS.map((f) => f.name);

export function columnSpecs(names: readonly string[]): FieldSpec[] {
  return names.map((n) => {
    const spec = resolveField(n);
    if (spec === null) throw new Error(`not a catalog field: ${n.slice(0, 80)}`);
    return spec;
  });
}

export type ColumnValue = string | boolean | null | ReadonlyArray<string | boolean>;

// Rows lack only the raw record, which no catalog field reads.
const NO_RAW: AuditEvent['raw'] = Object.freeze({});

/** A row's value of each column: null when absent, the value when single, the list otherwise. */
export function columnValues(row: AuditRow, specs: readonly FieldSpec[]): ColumnValue[] {
  const event: AuditEvent = { ...row, raw: NO_RAW };
  return specs.map((s) => {
    const values = s.values(event);
    return values.length === 0 ? null : values.length === 1 ? values[0]! : values;
  });
}
