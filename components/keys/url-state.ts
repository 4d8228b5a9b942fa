import { createLoader, createParser, parseAsString, parseAsStringLiteral, type inferParserType } from 'nuqs/server';
import { IsoTime } from '@/lib/questions/common';
import { KEY_STATES } from '@/lib/model/key-state';
import { RANGE_PRESETS, type RangeSpec } from '@/lib/dashboard/time-range';

const parseAsIsoInstant = createParser({ parse: (v: string) => (IsoTime.safeParse(v).success ? v : null), serialize: (v: string) => v });

/** The range of the key and principal pages, declared once (STYLE.md 7): `from` and `to` together override `range`. */
export const rangeUrlState = {
  range: parseAsStringLiteral(RANGE_PRESETS).withDefault('7d'),
  from: parseAsIsoInstant,
  to: parseAsIsoInstant,
};
export const KEY_SORTS = ['key', 'state', 'lastUsed', 'rotation'] as const;
export type KeySort = (typeof KEY_SORTS)[number];
/** /keys: the range plus the inventory's filters and sort. */
export const keyListUrlState = {
  ...rangeUrlState,
  account: parseAsString,
  region: parseAsString,
  state: parseAsStringLiteral(KEY_STATES),
  sort: parseAsStringLiteral(KEY_SORTS).withDefault('key'),
};
export type RangeUrlState = inferParserType<typeof rangeUrlState>;
export type KeyListUrlState = inferParserType<typeof keyListUrlState>;
export const loadRangeUrlState = createLoader(rangeUrlState);
export const loadKeyListUrlState = createLoader(keyListUrlState);

export function rangeSpecOf(s: Pick<RangeUrlState, 'range' | 'from' | 'to'>): RangeSpec {
  return s.from !== null && s.to !== null ? { kind: 'absolute', from: s.from, to: s.to } : { kind: 'preset', preset: s.range };
}

export type KeyListFilters = { accountId?: string; region?: string; state?: (typeof KEY_STATES)[number] };
export function keyListFiltersOf(s: Pick<KeyListUrlState, 'account' | 'region' | 'state'>): KeyListFilters {
  const f: KeyListFilters = {};
  if (s.account) f.accountId = s.account;
  if (s.region) f.region = s.region;
  if (s.state) f.state = s.state;
  return f;
}
