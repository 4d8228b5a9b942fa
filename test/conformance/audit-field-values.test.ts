import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuditEvent } from '../../lib/model/audit-event';
import { compareUtf8 } from '../../lib/query-language/evaluate';
import { resolveField } from '../../lib/query-language/fields';
import { VALUE_FIELDS, auditFieldValuesQuestion } from '../../lib/questions/audit-field-values/definition';
import { auditFieldValues } from '../../lib/questions/registry';
import { HOUR, INJECTION, SPAN, T0, fixtureEvents } from '../store/sqlite-audit-fixture';
import { BACKENDS, openEmptyStore, type BackendName, type OpenedStore } from './support/backends';

/*
 * The query bar's value completion on every backend against an oracle over the events
 * written (never one backend against another): values of the field in the range widened to
 * whole hours, starting with the prefix, by count then value; parsed with the result schema.
 */
const backends: BackendName[] = inject('elasticsearchUrl') === undefined ? ['sqlite'] : BACKENDS;
const events = fixtureEvents();
const iso = (ms: number): string => new Date(ms).toISOString();

const stores = new Map<BackendName, OpenedStore>();
beforeAll(async () => {
  for (const b of backends) {
    const o = await openEmptyStore(b, () => T0 + SPAN + HOUR);
    stores.set(b, o);
    for (let i = 0; i < events.length; i += 1000) await o.store.writeBatch({ source: 'cloudtrail-files', auditEvents: events.slice(i, i + 1000) });
  }
});
afterAll(async () => {
  for (const o of stores.values()) await o.cleanup();
});

function oracle(field: (typeof VALUE_FIELDS)[number], fromMs: number, toMs: number, prefix: string, limit: number) {
  const start = Math.floor(fromMs / HOUR) * HOUR;
  const end = Math.ceil(toMs / HOUR) * HOUR;
  const counts = new Map<string, number>();
  for (const e of events as AuditEvent[]) {
    const t = Date.parse(e.time);
    if (t < start || t >= end) continue;
    for (const v of resolveField(field)!.values(e)) {
      const s = String(v);
      if (s.startsWith(prefix)) counts.set(s, (counts.get(s) ?? 0) + 1);
    }
  }
  return [...counts].map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || compareUtf8(a.value, b.value)).slice(0, limit);
}

describe.each(backends)('%s: auditFieldValues', (backend) => {
  const ask = async (input: Record<string, unknown>) => {
    const r = await stores.get(backend)!.store.answer(auditFieldValues, auditFieldValuesQuestion.params.parse(input));
    return auditFieldValuesQuestion.result.parse(r);
  };

  it('every field, the whole span and a cut one, without and with a prefix, equals the oracle', async () => {
    let compared = 0;
    for (const [fromMs, toMs] of [[T0, T0 + SPAN], [T0 + 1.5 * HOUR + 17, T0 + 26.25 * HOUR]] as const) {
      for (const field of VALUE_FIELDS) {
        const all = oracle(field, fromMs, toMs, '', 50);
        const prefixes = ['', ...new Set(all.slice(0, 3).map((v) => v.value.slice(0, Math.max(1, Math.floor(v.value.length / 2)))))];
        for (const prefix of prefixes) {
          const r = await ask({ from: iso(fromMs), to: iso(toMs), field, prefix, limit: 5 });
          expect(r.values, `${field} "${prefix}" ${iso(fromMs)}`).toEqual(oracle(field, fromMs, toMs, prefix, 5));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(VALUE_FIELDS.length * 2);
  });

  it('a prefix with characters special to LIKE, GLOB or a regular expression, or an injection, is only a prefix', async () => {
    for (const prefix of ['%', '_', '*', '[', '.*', '\\', ...INJECTION.slice(0, 5)]) {
      const r = await ask({ from: iso(T0), to: iso(T0 + SPAN), field: 'event.action', prefix });
      expect(r.values).toEqual(oracle('event.action', T0, T0 + SPAN, prefix, 10));
    }
  });

  it('an unknown field is refused before it reaches the store', () => {
    expect(() => auditFieldValuesQuestion.params.parse({ from: iso(T0), to: iso(T0 + SPAN), field: 'doc' })).toThrow();
  });
});
