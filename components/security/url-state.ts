import { createLoader, createParser, parseAsArrayOf, parseAsString, parseAsStringLiteral, type inferParserType } from 'nuqs/server';
import { IsoTime } from '@/lib/questions/common';
import { RANGE_PRESETS, type RangeSpec } from '@/lib/dashboard/time-range';
import { resolveField } from '@/lib/query-language/fields';

/** An ISO instant kept as written; anything else is ignored. */
const parseAsIsoInstant = createParser({
  parse: (v: string) => (IsoTime.safeParse(v).success ? v : null),
  serialize: (v: string) => v,
});

/** A catalog field name (canonical); unknown names are dropped so a bad link still opens. */
const parseAsColumn = createParser({
  parse: (v: string) => resolveField(v)?.name ?? null,
  serialize: (v: string) => v,
});

/** What the table shows when the URL names no columns. */
export const DEFAULT_COLUMNS = [
  '@timestamp', 'event.action', 'event.outcome', 'keyscope.principal.caller', 'kms.key.arn', 'source.ip', 'error.code',
] as const;

/**
 * The /security page's URL state, declared once (STYLE.md 7): range, the applied query,
 * columns, the stack of page cursors (one per Next) and the expanded event, so a reload or
 * a shared link shows the same view. `from` and `to` together override `range`.
 */
export const securityUrlState = {
  range: parseAsStringLiteral(RANGE_PRESETS).withDefault('24h'),
  from: parseAsIsoInstant,
  to: parseAsIsoInstant,
  query: parseAsString.withDefault(''),
  columns: parseAsArrayOf(parseAsColumn).withDefault([]),
  cursors: parseAsArrayOf(parseAsString).withDefault([]),
  event: parseAsString,
};
export type SecurityUrlState = inferParserType<typeof securityUrlState>;

export const loadSecurityUrlState = createLoader(securityUrlState);

export function rangeSpecOf(s: Pick<SecurityUrlState, 'range' | 'from' | 'to'>): RangeSpec {
  return s.from !== null && s.to !== null ? { kind: 'absolute', from: s.from, to: s.to } : { kind: 'preset', preset: s.range };
}

/** The columns in use: the URL's, else the defaults. */
export function columnsOf(s: Pick<SecurityUrlState, 'columns'>): readonly string[] {
  return s.columns.length > 0 ? s.columns : DEFAULT_COLUMNS;
}

/** What the histogram and facets are asked about; the table adds the page cursor. */
export type SecurityView = { range: RangeSpec; query: string };

export function viewOf(s: Pick<SecurityUrlState, 'range' | 'from' | 'to' | 'query'>): SecurityView {
  return { range: rangeSpecOf(s), query: s.query };
}

/** The cursor of the page shown: the top of the stack (undefined on the first page). */
export function cursorOf(s: Pick<SecurityUrlState, 'cursors'>): string | undefined {
  return s.cursors.length > 0 ? s.cursors[s.cursors.length - 1] : undefined;
}
