import type { FieldSpec } from '../query-language/fields';
import type { AuditRow } from '../questions/audit-common';
import { columnValues, type ColumnValue } from './columns';
import { csvHeaderLine, csvLine, type CsvValue } from './csv';
import { ndjsonLine } from './ndjson';

export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPE: Record<ExportFormat, string> = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson; charset=utf-8' };

/** How a stream ended early: NDJSON says so in a last line; CSV cannot (docs/security.md). */
export type Truncation = { rows: number; rowCap: number };

export type RowEncoder = {
  header: string;
  row(r: AuditRow): string;
  trailer(t: Truncation | null): string;
};

const csvValue = (v: ColumnValue): CsvValue => (v === null || typeof v !== 'object' ? v : JSON.stringify(v));

/** CSV: a header row of the column names, then one line per row. */
export function csvEncoder(specs: readonly FieldSpec[]): RowEncoder {
  return {
    header: csvHeaderLine(specs.map((s) => s.name)),
    row: (r) => csvLine(columnValues(r, specs).map(csvValue)),
    trailer: () => '',
  };
}

/** NDJSON: the chosen columns by name, or the whole row when none are chosen; `{"truncated":true,…}` last when cut. */
export function ndjsonEncoder(specs: readonly FieldSpec[] | null): RowEncoder {
  return {
    header: '',
    row: (r) => {
      if (specs === null) return ndjsonLine(r);
      const values = columnValues(r, specs);
      return ndjsonLine(Object.fromEntries(specs.map((s, i) => [s.name, values[i]])));
    },
    trailer: (t) => (t === null ? '' : ndjsonLine({ truncated: true, ...t })),
  };
}
