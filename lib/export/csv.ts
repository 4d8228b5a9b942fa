/**
 * RFC 4180 CSV: CRLF line ends, a field quoted when it holds a quote, comma, CR or LF, quotes
 * doubled. A value a spreadsheet would run as a formula (= + - @, or tab/CR before one) gets a
 * leading ' (OWASP "CSV injection"): the file is read by people, in spreadsheets.
 */
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvValue): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
