import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../lib/auth/roles';
import { QUESTIONS, QUESTION_NAMES, failureBreakdown, latencyPercentiles, questionNamed, sliSeries } from '../../lib/questions/registry';
import type { Store } from '../../lib/store/types';
import { openTempStore } from '../support/temp-store';

let store: Store;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ store, cleanup } = await openTempStore()));
afterAll(() => cleanup());

const range = { from: '2026-03-01T00:00:00Z', to: '2026-03-01T01:00:00+01:00' };

describe('the question registry', () => {
  it('keys every question by its own name, with an answer for each backend, an audience and a cost cap', () => {
    for (const name of QUESTION_NAMES) {
      const q = QUESTIONS[name];
      expect(q.name).toBe(name);
      expect(typeof q.answers.sqlite).toBe('function');
      expect(typeof q.answers.elasticsearch).toBe('function');
      expect(q.audience.length).toBeGreaterThan(0);
      for (const role of q.audience) expect(ROLES).toContain(role);
      expect(q.cost.timeLimitMs).toBeGreaterThan(0);
    }
  });

  it('looks questions up by own name only (a route segment is untrusted)', () => {
    expect(questionNamed('sliSeries')).toBe(sliSeries);
    for (const bad of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'sliseries', '']) expect(questionNamed(bad)).toBeUndefined();
  });

  it('no question lets an executive see raw records or principals (they see aggregates on their own pages)', () => {
    for (const name of QUESTION_NAMES) expect(QUESTIONS[name].audience).not.toContain('executive');
  });

  it('apply defaults when parsing', () => {
    expect(latencyPercentiles.params.parse({ ...range, to: '2026-03-01T01:00:00Z' })).toMatchObject({ operation: 'unwrap', filters: {} });
    expect(failureBreakdown.params.parse({ ...range, to: '2026-03-01T01:00:00Z', by: 'service' })).toMatchObject({ limit: 10, filters: {} });
  });

  it('reject what a route handler must not pass on', () => {
    const to = '2026-03-01T01:00:00Z';
    // An offset that puts `to` before `from`.
    expect(() => sliSeries.params.parse({ ...range, sli: 'cache_hit' })).toThrow(/after/);
    expect(() => sliSeries.params.parse({ from: '2025-01-01T00:00:00Z', to, sli: 'cache_hit' })).toThrow(/366 days/);
    expect(() => sliSeries.params.parse({ from: range.from, to, sli: 'cache_hit', sql: '1=1' })).toThrow();
    expect(() => sliSeries.params.parse({ from: range.from, to, sli: 'cache_hit', filters: { region: 'x' } })).toThrow();
    expect(() => failureBreakdown.params.parse({ from: range.from, to, by: 'principal' })).toThrow();
    expect(() => failureBreakdown.params.parse({ from: range.from, to, by: 'service', limit: 1000 })).toThrow();
    expect(() => latencyPercentiles.params.parse({ from: 'yesterday', to })).toThrow();
  });

  it('Store.answer runs the question on the store and the answer fits its schema', async () => {
    const r = await store.answer(sliSeries, sliSeries.params.parse({ from: range.from, to: '2026-03-01T01:00:00Z', sli: 'unwrap_success' }));
    expect(sliSeries.result.parse(r).points).toHaveLength(60);
  });
});
