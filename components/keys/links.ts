import { resolveRange, type RangeSpec } from '@/lib/dashboard/time-range';

/** A catalog query text for one exact value (quotes and backslashes escaped as docs/search-language.md has them). */
export function exactClause(field: string, value: string): string {
  return `${field}:"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** /security with a query and the page's range (relative presets stay relative). */
export function securityHref(query: string, range: RangeSpec, nowMs?: number): string {
  const p = new URLSearchParams({ query });
  if (range.kind === 'preset') p.set('range', range.preset);
  else {
    const r = resolveRange(range, nowMs ?? Date.parse(range.to));
    p.set('from', r.from);
    p.set('to', r.to);
  }
  return `/security?${p.toString()}`;
}

/** The page's range as URL parameters, so a pivot keeps the view's time. */
function rangeQuery(range: RangeSpec | undefined): string {
  if (range === undefined) return '';
  const p = range.kind === 'preset' ? new URLSearchParams({ range: range.preset }) : new URLSearchParams({ from: range.from, to: range.to });
  return `?${p.toString()}`;
}

export const keyHref = (keyArn: string, range?: RangeSpec): string => `/keys/${encodeURIComponent(keyArn)}${rangeQuery(range)}`;
export const principalHref = (principal: string, range?: RangeSpec): string => `/principals/${encodeURIComponent(principal)}${rangeQuery(range)}`;

/** The query that finds a value of one of the pages' fields on /security (source.ip takes an address unquoted). */
export function fieldQuery(field: string, value: string): string {
  return field === 'source.ip' ? `source.ip:${value}` : exactClause(field, value);
}
