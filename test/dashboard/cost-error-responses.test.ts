import { describe, expect, it, vi } from 'vitest';
import { QueryTimeoutError, QueryTooLargeError } from '../../lib/questions/cost';
import { ReadCancelledError } from '../../lib/store/read-signal';
import { StoreError } from '../../lib/store/types';

vi.mock('server-only', () => ({}));
vi.mock('../../lib/dashboard/server/server-log', () => ({ logFailure: vi.fn() }));
const { errorResponse } = await import('../../lib/dashboard/server/http-errors');
const { logFailure } = await import('../../lib/dashboard/server/server-log');

describe('cost errors over HTTP', () => {
  it('answers a too-large question 422 with its message, and a stopped one 503 with the limit', async () => {
    const tooLarge = errorResponse(new QueryTooLargeError('exact unwrap latency percentiles over this range would read 9,000,000 rows; at most 2,000,000: pick a shorter range'), 'r1');
    expect(tooLarge.status).toBe(422);
    expect(await tooLarge.json()).toEqual({ error: { code: 'too_large', message: expect.stringMatching(/9,000,000 rows; at most 2,000,000: pick a shorter range$/), requestId: 'r1' } });
    const stopped = errorResponse(new QueryTimeoutError(30_000), 'r2');
    expect(stopped.status).toBe(503);
    expect(await stopped.json()).toMatchObject({ error: { code: 'timeout', message: expect.stringMatching(/longer than 30 s and was stopped: narrow the range/) } });
  });

  it('answers a request its caller cancelled 499 and logs nothing (it is no failure)', async () => {
    vi.mocked(logFailure).mockClear();
    const cancelled = errorResponse(new ReadCancelledError(), 'r3');
    expect(cancelled.status).toBe(499);
    expect(await cancelled.json()).toMatchObject({ error: { code: 'cancelled', requestId: 'r3' } });
    expect(logFailure).not.toHaveBeenCalled();
    expect(errorResponse(new StoreError('disk I/O error'), 'r4').status).toBe(503);
    expect(logFailure).toHaveBeenCalledTimes(1);
  });
});
