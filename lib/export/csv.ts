/**
 * RFC 4180 CSV: CRLF line ends, a field quoted when it holds a quote, comma, CR or LF, quotes
 * doubled. A value a spreadsheet would run as a formula (= + - @, or tab/CR before one) gets a
 * leading ' (OWASP "CSV injection"): the file is read by people, in spreadsheets.
 */
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

const quoted = (s: string): string => (NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** A data cell: values come from CloudTrail records, which callers can shape (user agents, context values). */
export function csvCell(value: CsvValue): string {
  const s = value === null || value === undefined ? '' : String(value);
  return quoted(FORMULA_START.test(s) ? `'${s}` : s);
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** The header: catalog names, ours (`@timestamp` stays as named; context keys follow a fixed prefix), quoted only. */
export function csvHeaderLine(names: readonly string[]): string {
  return `${names.map(quoted).join(',')}\r\n`;
}
