import { afterEach, describe, expect, it } from 'vitest';
import { latencyPercentilesQuestion } from '../../lib/questions/latency-percentiles/definition';
import { StoreError } from '../../lib/store/types';
import { generateOperations } from '../support/key-operation-generator';
import { BACKENDS, openEmptyStore, type OpenedStore } from './support/backends';
import { latencyPercentiles } from '../../lib/questions/registry';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 5, 1);
const params = latencyPercentilesQuestion.params.parse({ from: new Date(NOW - 24 * HOUR).toISOString(), to: new Date(NOW).toISOString() });

const opened: OpenedStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.cleanup()));
});

describe.each(BACKENDS)('%s: a read carries the request signal', (backend) => {
  it('a cancelled request reads nothing and says so; the same read without it answers', async () => {
    const o = await openEmptyStore(backend, () => NOW);
    opened.push(o);
    const ops = generateOperations(11, 200, { fromMs: NOW - 24 * HOUR, toMs: NOW });
    await o.store.writeBatch({ keyOperations: ops });
    const gone = new AbortController();
    gone.abort();
    const err = await o.store.answer(latencyPercentiles, params, { signal: gone.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toMatch(/the request was cancelled/);
    const live = new AbortController();
    const r = await o.store.answer(latencyPercentiles, params, { signal: live.signal });
    expect(r.overall.count).toBe(ops.filter((x) => x.operation === 'unwrap').length);
  });
});
