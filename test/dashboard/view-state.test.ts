import { describe, expect, it } from 'vitest';
import { DEFAULT_SLOS } from '../../lib/detect/slo-config';
import { formatBurnRate, formatDuration, formatMs, formatPercent, formatTick, formatUtc } from '../../lib/dashboard/format';
import { failureBreakdown } from '../../lib/questions/registry';
import { onCallKeys } from '../../components/oncall/queries';
import { filtersOf, rangeSpecOf, viewOf } from '../../components/oncall/url-state';
import { decodeSearch, encodeSearch } from '../../lib/dashboard/search-codec';
import { scopeSlo } from '../../lib/questions/slo-status/scope';
import { resolveRange } from '../../lib/dashboard/time-range';

const NOW = Date.UTC(2026, 2, 2, 12);
const url = { range: '24h' as const, from: null, to: null, service: null, tenant: null, kek: null };

describe('on-call view state', () => {
  it('a preset ends now; an absolute range is measured at its end', () => {
    expect(resolveRange({ kind: 'preset', preset: '1h' }, NOW)).toEqual({ from: '2026-03-02T11:00:00.000Z', to: '2026-03-02T12:00:00.000Z', now: '2026-03-02T12:00:00.000Z' });
    const abs = { kind: 'absolute' as const, from: '2026-03-01T00:00:00Z', to: '2026-03-01T06:00:00Z' };
    expect(resolveRange(abs, NOW)).toEqual({ from: abs.from, to: abs.to, now: abs.to });
  });

  it('from and to together override the preset; one alone does not', () => {
    expect(rangeSpecOf({ ...url, from: '2026-03-01T00:00:00Z', to: '2026-03-01T06:00:00Z' })).toEqual({ kind: 'absolute', from: '2026-03-01T00:00:00Z', to: '2026-03-01T06:00:00Z' });
    expect(rangeSpecOf({ ...url, from: '2026-03-01T00:00:00Z' })).toEqual({ kind: 'preset', preset: '24h' });
  });

  it('equal views make equal query keys: unset filters are left out', () => {
    expect(filtersOf({ service: 'billing', tenant: null, kek: '' })).toEqual({ service: 'billing' });
    expect(onCallKeys.unwrapLatency(viewOf(url))).toEqual(onCallKeys.unwrapLatency(viewOf({ ...url, tenant: null })));
    expect(onCallKeys.unwrapLatency(viewOf(url))).not.toEqual(onCallKeys.unwrapLatency(viewOf({ ...url, tenant: 'acme' })));
  });

  it('question parameters survive the query string', () => {
    const params = { from: '2026-03-01T00:00:00Z', to: '2026-03-01T06:00:00Z', by: 'service', limit: 8, filters: { tenant: 'acme', kekId: 'arn:aws:kms:x:1:key/k' } };
    const back = decodeSearch(new URLSearchParams(encodeSearch(params).toString()));
    expect(back).toEqual(params);
    expect(failureBreakdown.requestParams.parse(back)).toMatchObject(params);
  });

  it('a bad number stays text, so the schema names it', () => {
    const r = failureBreakdown.requestParams.safeParse(decodeSearch(new URLSearchParams('from=2026-03-01T00:00:00Z&to=2026-03-01T06:00:00Z&by=service&limit=lots')));
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['limit']);
  });

  it('page filters narrow an SLO, unless it is scoped to another value', () => {
    const slo = DEFAULT_SLOS[0]!;
    expect(scopeSlo(slo, { service: 'billing' })!.filters).toEqual({ service: 'billing' });
    expect(scopeSlo({ ...slo, filters: { service: 'search' } }, { service: 'billing' })).toBeNull();
    expect(scopeSlo({ ...slo, filters: { service: 'search' } }, { tenant: 'acme' })!.filters).toEqual({ service: 'search', tenant: 'acme' });
  });
});

describe('formatting', () => {
  it('is locale- and zone-independent', () => {
    expect(formatPercent(0.99951, 2)).toBe('99.95%');
    expect(formatPercent(null)).toBe('—');
    expect(formatMs(0.25)).toBe('0.3 ms');
    expect(formatMs(1234.4)).toBe('1,234 ms');
    expect(formatBurnRate(14.44)).toBe('14.4×');
    expect(formatBurnRate(959.2)).toBe('959×');
    expect(formatUtc('2026-03-02T10:05:00Z')).toBe('2026-03-02 10:05 UTC');
    expect(formatTick(Date.UTC(2026, 2, 2, 10, 5), 3_600_000)).toBe('10:05');
    expect(formatTick(Date.UTC(2026, 2, 2, 10, 5), 7 * 86_400_000)).toBe('Mar 02 10:05');
    expect(formatDuration(3 * 3_600_000 + 12 * 60_000 + 5_000)).toBe('3 h 12 min');
    expect(formatDuration(3 * 3_600_000 + 5_000)).toBe('3 h');
    expect(formatDuration(45_000)).toBe('45 s');
  });
});
