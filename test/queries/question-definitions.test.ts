import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ON_CALL_QUESTIONS, ask, failureBreakdownQuestion, latencyPercentilesQuestion, sliSeriesQuestion } from '../../lib/queries';
import type { Store } from '../../lib/store/types';
import { openTempStore } from '../support/temp-store';

let store: Store;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ store, cleanup } = await openTempStore()));
afterAll(() => cleanup());

const range = { from: '2026-03-01T00:00:00Z', to: '2026-03-01T01:00:00+01:00' };

describe('on-call question definitions', () => {
  it('have unique names, each answered by a Store method', () => {
    const names = ON_CALL_QUESTIONS.map((q) => q.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(typeof (store as unknown as Record<string, unknown>)[name]).toBe('function');
  });

  it('apply defaults when parsing', () => {
    expect(latencyPercentilesQuestion.params.parse({ ...range, to: '2026-03-01T01:00:00Z' })).toMatchObject({ operation: 'unwrap', filters: {} });
    expect(failureBreakdownQuestion.params.parse({ ...range, to: '2026-03-01T01:00:00Z', by: 'service' })).toMatchObject({ limit: 10, filters: {} });
  });

  it('reject what a route handler must not pass on', () => {
    const to = '2026-03-01T01:00:00Z';
    // An offset that puts `to` before `from`.
    expect(() => sliSeriesQuestion.params.parse({ ...range, sli: 'cache_hit' })).toThrow(/after/);
    expect(() => sliSeriesQuestion.params.parse({ from: '2025-01-01T00:00:00Z', to, sli: 'cache_hit' })).toThrow(/366 days/);
    expect(() => sliSeriesQuestion.params.parse({ from: range.from, to, sli: 'cache_hit', sql: '1=1' })).toThrow();
    expect(() => sliSeriesQuestion.params.parse({ from: range.from, to, sli: 'cache_hit', filters: { region: 'x' } })).toThrow();
    expect(() => failureBreakdownQuestion.params.parse({ from: range.from, to, by: 'principal' })).toThrow();
    expect(() => failureBreakdownQuestion.params.parse({ from: range.from, to, by: 'service', limit: 1000 })).toThrow();
    expect(() => latencyPercentilesQuestion.params.parse({ from: 'yesterday', to })).toThrow();
  });

  it('ask() parses untrusted input, then asks the store', async () => {
    const r = await ask(store, sliSeriesQuestion, { from: range.from, to: '2026-03-01T01:00:00Z', sli: 'unwrap_success' });
    expect(sliSeriesQuestion.result.parse(r).points).toHaveLength(60);
    await expect(ask(store, sliSeriesQuestion, { from: range.from })).rejects.toThrow();
  });
});
