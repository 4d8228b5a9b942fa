import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTimeoutError, QueryTooLargeError } from '../../lib/questions/cost';
import { latencyPercentilesQuestion } from '../../lib/questions/latency-percentiles/definition';
import { openStore } from '../../lib/store';
import { BUSY_TIMEOUT_MS, CACHE_KIB } from '../../lib/store/sqlite/connection';
import { ReadPool } from '../../lib/store/sqlite/read-pool/read-pool';
import { openSqliteStore } from '../../lib/store/sqlite/sqlite-store';
import { generateOperations } from '../support/key-operation-generator';
import { tempDbPath } from '../support/temp-store';
import { latencyPercentiles } from '../../lib/questions/registry';

const HOUR = 3_600_000;
const T = Date.parse('2026-05-01T00:00:00Z');
/** A read that runs until it is stopped: a recursive CTE without end (read-only, touches no table). */
const ENDLESS = { sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) AS n FROM c', params: {} };
const ONE = { sql: 'SELECT 1 AS one', params: {} };

const db = tempDbPath();
const pools: ReadPool[] = [];
function pool(light: number): ReadPool {
  const p = new ReadPool({ path: db.path, size: { light, heavy: 1 }, timeoutMs: 60_000, busyTimeoutMs: BUSY_TIMEOUT_MS, cacheKib: CACHE_KIB });
  pools.push(p);
  return p;
}

beforeAll(async () => {
  const store = await openStore({ backend: 'sqlite', sqlitePath: db.path }, { clock: () => T });
  await store.writeBatch({ keyOperations: generateOperations(7, 3000, { fromMs: T - 24 * HOUR, toMs: T }) });
  await store.close();
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  db.cleanup();
});

describe('SQLite read pool', () => {
  it('runs a read off the event loop: the loop turns and a light question answers while a heavy read is running', async () => {
    const p = pool(2);
    const heavy = new AbortController();
    let heavyDone = false;
    const running = p.session((s) => s.get(ENDLESS), { heavy: true, signal: heavy.signal }).finally(() => (heavyDone = true));
    // A synchronous read would hold this thread until it ended (never): these would not run.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(await p.session((s) => s.get<{ one: number }>(ONE))).toEqual({ one: 1 });
    expect(heavyDone).toBe(false);
    heavy.abort();
    await expect(running).rejects.toThrow(/cancelled/);
  });

  it('gives heavy sessions workers of their own: a second heavy one waits, a light one does not', async () => {
    const p = pool(2);
    const a = new AbortController();
    const b = new AbortController();
    const first = p.session((s) => s.get(ENDLESS), { heavy: true, signal: a.signal });
    let secondStarted = false;
    const second = p.session(async (s) => {
      secondStarted = true;
      return s.get(ONE);
    }, { heavy: true, signal: b.signal });
    expect(await p.session((s) => s.get(ONE))).toEqual({ one: 1 });
    expect(secondStarted).toBe(false);
    a.abort();
    await expect(first).rejects.toThrow(/cancelled/);
    // The killed worker's slot goes to the queued heavy session, on a fresh worker.
    expect(await second).toEqual({ one: 1 });
    expect(secondStarted).toBe(true);
  });

  it('stops a read at its time limit with QueryTimeoutError, and the next read gets a fresh worker', async () => {
    const p = pool(1);
    const err = await p.session((s) => s.get(ENDLESS), { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryTimeoutError);
    expect((err as Error).message).toMatch(/ran longer than 300 ms and was stopped: narrow the range or the filters/);
    expect(await p.session((s) => s.get(ONE))).toEqual({ one: 1 });
  });

  it('reports an SQL error as a StoreError and keeps serving', async () => {
    const p = pool(1);
    await expect(p.session((s) => s.all({ sql: 'SELECT nope FROM key_operations', params: {} }))).rejects.toThrow(/SQLite read failed: no such column: nope/);
    expect(await p.session((s) => s.get(ONE))).toEqual({ one: 1 });
  });

  it('sorts each bucket run and the whole range in the worker', async () => {
    const p = pool(1);
    const runs = await p.session((s) => s.sorted({ sql: 'SELECT column1, column2 FROM (VALUES (0, 3), (0, 1), (0, 2), (10, 9), (10, 4))', params: {} }));
    expect([...runs.starts]).toEqual([0, 10]);
    expect([...runs.ends]).toEqual([3, 5]);
    expect([...runs.values]).toEqual([1, 2, 3, 4, 9]);
    expect([...runs.all]).toEqual([1, 2, 3, 4, 9]);
  });
});

describe('SQLite store cost cap', () => {
  it('refuses exact percentiles over more rows than the cap, saying what to do', async () => {
    const store = openSqliteStore({ path: db.path, mode: 'readonly', clock: () => T, maxExactRows: 1000 });
    try {
      const params = latencyPercentilesQuestion.params.parse({ from: new Date(T - 24 * HOUR).toISOString(), to: new Date(T).toISOString() });
      const err = await store.answer(latencyPercentiles, params).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(QueryTooLargeError);
      expect((err as Error).message).toMatch(/^exact unwrap latency percentiles over this range would read [\d,]+ rows; at most 1,000: pick a shorter range/);
      const hour = latencyPercentilesQuestion.params.parse({ from: new Date(T - HOUR).toISOString(), to: new Date(T).toISOString() });
      expect((await store.answer(latencyPercentiles, hour)).method).toBe('exact');
    } finally {
      await store.close();
    }
  });
});
