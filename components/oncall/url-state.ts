import { createLoader, createParser, parseAsString, parseAsStringLiteral, type inferParserType } from 'nuqs/server';
import { FAILURE_GROUPINGS } from '@/lib/questions/failure-breakdown/definition';
import { IsoTime, type Filters } from '@/lib/questions/common';
import { RANGE_PRESETS, type RangeSpec } from '@/lib/dashboard/time-range';

/** Auto-refresh intervals; 'off' by default so an open tab does not poll a store forever. */
export const REFRESH_INTERVALS = ['off', '30s', '1m', '5m'] as const;
export type RefreshInterval = (typeof REFRESH_INTERVALS)[number];
export const REFRESH_MS: Record<RefreshInterval, number | false> = { off: false, '30s': 30_000, '1m': 60_000, '5m': 300_000 };

/** An ISO instant kept as the user wrote it (so the link stays as typed); anything else is ignored. */
const parseAsIsoInstant = createParser({
  parse: (v: string) => (IsoTime.safeParse(v).success ? v : null),
  serialize: (v: string) => v,
});

/**
 * The /oncall page's URL state, declared once (STYLE.md 7): the server page parses it
 * with `loadOnCallUrlState`, the client reads and writes it with nuqs `useQueryStates`,
 * so every view is a link. `from` and `to` together override `range`.
 */
export const onCallUrlState = {
  range: parseAsStringLiteral(RANGE_PRESETS).withDefault('24h'),
  from: parseAsIsoInstant,
  to: parseAsIsoInstant,
  service: parseAsString,
  tenant: parseAsString,
  kek: parseAsString,
  refresh: parseAsStringLiteral(REFRESH_INTERVALS).withDefault('off'),
  failuresBy: parseAsStringLiteral(FAILURE_GROUPINGS).withDefault('errorClass'),
};
export type OnCallUrlState = inferParserType<typeof onCallUrlState>;

export const loadOnCallUrlState = createLoader(onCallUrlState);

/** The range the URL names: absolute when both ends are given, else the preset. */
export function rangeSpecOf(s: Pick<OnCallUrlState, 'range' | 'from' | 'to'>): RangeSpec {
  return s.from !== null && s.to !== null ? { kind: 'absolute', from: s.from, to: s.to } : { kind: 'preset', preset: s.range };
}

/** Filters as the questions take them: only the ones set, so equal views have equal query keys. */
export function filtersOf(s: Pick<OnCallUrlState, 'service' | 'tenant' | 'kek'>): Filters {
  const f: Filters = {};
  if (s.service) f.service = s.service;
  if (s.tenant) f.tenant = s.tenant;
  if (s.kek) f.kekId = s.kek;
  return f;
}

/** What every on-call panel is asked about. */
export type OnCallView = { range: RangeSpec; filters: Filters };

export function viewOf(s: Pick<OnCallUrlState, 'range' | 'from' | 'to' | 'service' | 'tenant' | 'kek'>): OnCallView {
  return { range: rangeSpecOf(s), filters: filtersOf(s) };
}
