/**
 * One JSON value per line (ndjson.org). JSON.stringify escapes CR and LF inside strings and
 * lone surrogates too, so a line never breaks inside a value and is always valid UTF-8.
 */
export function ndjsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}
