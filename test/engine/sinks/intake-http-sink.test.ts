import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isFlowControlled } from '../../../lib/engine/sinks/flow-control';
import { IntakeHttpSink, type IntakeHttpSinkOptions } from '../../../lib/engine/sinks/intake-http-sink';
import { interpretIntakeResponse, parseRetryAfter } from '../../../lib/model/intake-protocol';
import { DekRecordSchema } from '../../../lib/model/dek-record';
import { KeyOperationSchema } from '../../../lib/model/key-operation';
import { makeDekRecord, makeOperation } from '../../support/event-fixtures';
import { IntakeTestServer } from '../../support/intake-test-server';

let intake: IntakeTestServer;
let sleeps: number[];
const sinks: IntakeHttpSink[] = [];

beforeEach(async () => {
  intake = await IntakeTestServer.start();
  sleeps = [];
});

afterEach(async () => {
  await Promise.allSettled(sinks.splice(0).map((s) => s.close()));
  await intake.close();
});

/** A sink with long intervals (so only size limits and flush cut batches) and recorded, 1 ms waits. */
function sink(options: Partial<IntakeHttpSinkOptions> = {}): IntakeHttpSink {
  const s = new IntakeHttpSink({
    url: `${intake.url}/`,
    flushIntervalMs: 60_000,
    random: () => 0.5,
    backoffBaseMs: 100,
    sleep: (ms) => {
      sleeps.push(ms);
      return new Promise((r) => setTimeout(r, 1));
    },
    ...options,
  });
  sinks.push(s);
  return s;
}

const ops = (n: number) => Array.from({ length: n }, (_, i) => makeOperation(i));

describe('IntakeHttpSink', () => {
  it('batches by count and posts gzipped NDJSON whose lines are exactly the events', async () => {
    const s = sink({ maxBatchLines: 10, headers: { authorization: 'Bearer t0ken' } });
    expect(isFlowControlled(s)).toBe(true);
    const events = ops(25);
    for (const op of events) s.writeOperation(op);
    const deks = [makeDekRecord(1), makeDekRecord(2)];
    for (const d of deks) s.writeDekRecord(d);
    await s.flush();

    const opReqs = intake.requests.filter((r) => r.path === '/v1/operations');
    expect(opReqs.map((r) => r.lines.length)).toEqual([10, 10, 5]);
    for (const r of intake.requests) {
      expect(r.headers['content-type']).toBe('application/x-ndjson');
      expect(r.headers['content-encoding']).toBe('gzip');
      expect(r.headers.authorization).toBe('Bearer t0ken');
      expect(r.trailingNewline).toBe(true);
    }
    expect(intake.linesOn('/v1/operations')).toEqual(events.map((e) => JSON.stringify(e)));
    expect(intake.linesOn('/v1/operations').map((l) => KeyOperationSchema.parse(JSON.parse(l)))).toEqual(events);
    expect(intake.linesOn('/v1/dek-records').map((l) => DekRecordSchema.parse(JSON.parse(l)))).toEqual(deks);
    expect(s.stats()).toMatchObject({ accepted: 27, sent: 27, rejected: 0, dropped: 0, retried: 0, requests: 4, pending: 0, bufferedBytes: 0 });
  });

  it('batches by bytes', async () => {
    const line = Buffer.byteLength(JSON.stringify(makeOperation(1))) + 1;
    const s = sink({ maxBatchBytes: line * 3 + 1 });
    for (let i = 0; i < 7; i++) s.writeOperation({ ...makeOperation(1), id: randomUUID() });
    await s.flush();
    expect(intake.requests.map((r) => r.lines.length)).toEqual([3, 3, 1]);
  });

  it('sends a partial batch once its interval has passed, without flush', async () => {
    const s = sink({ flushIntervalMs: 20, maxBatchLines: 100 });
    for (const op of ops(3)) s.writeOperation(op);
    await intake.waitForRequests(1);
    expect(intake.requests[0]?.lines).toHaveLength(3);
  });

  it('retries 503 and network failures with backoff, then succeeds (counted)', async () => {
    intake.respond(
      () => ({ status: 503 }),
      () => 'drop',
      () => ({ status: 500 }),
    );
    const s = sink({ maxBatchLines: 4 });
    for (const op of ops(4)) s.writeOperation(op);
    await s.flush();
    expect(intake.requests).toHaveLength(4);
    expect(new Set(intake.requests.map((r) => r.lines.join('\n'))).size).toBe(1);
    expect(s.stats()).toMatchObject({ sent: 4, retried: 3, requests: 4, rejected: 0, dropped: 0 });
    // random() = 0.5: half of 100, 200, 400 ms.
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it('honours Retry-After (seconds and HTTP date) as a floor under the backoff', async () => {
    intake.respond(
      () => ({ status: 429, headers: { 'retry-after': '2' } }),
      () => ({ status: 503, headers: { 'retry-after': new Date(Date.now() + 3_000).toUTCString() } }),
    );
    const s = sink({ maxBatchLines: 2 });
    for (const op of ops(2)) s.writeOperation(op);
    await s.flush();
    expect(sleeps[0]).toBe(2000);
    expect(sleeps[1]).toBeGreaterThan(1000);
    expect(sleeps[1]).toBeLessThanOrEqual(3000);
    expect(s.stats()).toMatchObject({ sent: 2, retried: 2 });
  });

  it('counts lines refused with 400 or 207 as rejected and does not resend them', async () => {
    intake.respond(
      () => ({ status: 400, body: JSON.stringify({ accepted: 3, rejected: [{ line: 2, error: 'bad time' }, { line: 4, error: 'bad tenant' }] }) }),
      () => ({ status: 207, body: JSON.stringify({ rejected: [{ line: 1, error: 'duplicate field' }] }) }),
      () => ({ status: 400, body: 'not json' }),
    );
    const rejectedRecords: string[] = [];
    const s = sink({ maxBatchLines: 5, onRejected: (_kind, rs) => rejectedRecords.push(...rs.map((r) => `${r.error}:${(JSON.parse(r.record) as { id: string }).id}`)) });
    const events = ops(15);
    for (const op of events) s.writeOperation(op);
    await s.flush();
    expect(intake.requests).toHaveLength(3);
    expect(s.stats()).toMatchObject({ sent: 3 + 4 + 0, rejected: 2 + 1 + 5, retried: 0, dropped: 0, pending: 0 });
    expect(rejectedRecords).toEqual([`bad time:${events[1]!.id}`, `bad tenant:${events[3]!.id}`, `duplicate field:${events[5]!.id}`]);
  });

  it('splits a batch the intake finds too large (413)', async () => {
    intake.respond(() => ({ status: 413 }));
    const s = sink({ maxBatchLines: 6 });
    for (const op of ops(6)) s.writeOperation(op);
    await s.flush();
    expect(intake.requests.map((r) => r.lines.length)).toEqual([6, 3, 3]);
    expect(s.stats()).toMatchObject({ sent: 6, rejected: 0 });
  });

  it('bounds memory: false at the high-water mark, refuses past the hard limit, delivers all it accepted', async () => {
    const release = intake.hold();
    const op = () => ({ ...makeOperation(1), id: randomUUID() });
    const line = Buffer.byteLength(JSON.stringify(op())) + 1;
    const s = sink({ maxBatchLines: 2, highWaterMarkBytes: line * 4, maxBufferedBytes: line * 6 });
    const results = Array.from({ length: 9 }, () => s.writeOperation(op()));
    expect(results).toEqual([true, true, true, false, false, false, false, false, false]);
    expect(s.stats()).toMatchObject({ accepted: 6, dropped: 3, pending: 6 });
    await intake.waitForRequests(1);
    let drained = false;
    const wait = s.drained().then(() => (drained = true));
    expect(drained).toBe(false);
    release();
    await wait;
    await s.flush();
    expect(intake.linesOn('/v1/operations')).toHaveLength(6);
    expect(s.stats()).toMatchObject({ accepted: 6, sent: 6, dropped: 3, pending: 0, bufferedBytes: 0 });
  });

  it('a request that outlives requestTimeoutMs is retried', async () => {
    intake.respond(() => new Promise((r) => setTimeout(() => r({ status: 200 }), 500)));
    const s = sink({ requestTimeoutMs: 50 });
    s.writeOperation(makeOperation(0));
    await s.flush();
    expect(s.stats()).toMatchObject({ sent: 1, retried: 1, requests: 2 });
  });

  it('close delivers everything still buffered', async () => {
    const s = sink({ maxBatchLines: 1000 });
    for (const op of ops(40)) s.writeOperation(op);
    s.writeDekRecord(makeDekRecord(0));
    await s.close();
    expect(intake.linesOn('/v1/operations')).toHaveLength(40);
    expect(intake.linesOn('/v1/dek-records')).toHaveLength(1);
    expect(() => s.writeOperation(makeOperation(1))).toThrow(/closed/);
  });

  it('close gives up on an unreachable intake after closeTimeoutMs and counts the loss', async () => {
    const errors: string[] = [];
    const s = new IntakeHttpSink({ url: 'http://127.0.0.1:1', closeTimeoutMs: 100, backoffBaseMs: 10, backoffMaxMs: 20, onError: (e) => errors.push(e.message) });
    for (const op of ops(5)) s.writeOperation(op);
    await expect(s.close()).rejects.toThrow(/5 undelivered/);
    expect(s.stats()).toMatchObject({ sent: 0, dropped: 5, pending: 0 });
    expect(s.stats().retried).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/abandoned/);
  });

  it('gives up on a batch after maxAttempts', async () => {
    intake.respond(...Array.from({ length: 3 }, () => () => ({ status: 503 })));
    const s = sink({ maxAttempts: 3 });
    s.writeOperation(makeOperation(0));
    await s.flush();
    expect(s.stats()).toMatchObject({ sent: 0, dropped: 1, retried: 2, requests: 3 });
  });
});

describe('intake protocol', () => {
  it('reads Retry-After and classifies statuses', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:05 GMT', 1000)).toBe(4000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(interpretIntakeResponse(202, '', null, 4, 0)).toEqual({ kind: 'done', stored: 4, rejections: [], refused: 0 });
    expect(interpretIntakeResponse(401, '', null, 4, 0)).toMatchObject({ kind: 'done', stored: 0, refused: 4 });
    expect(interpretIntakeResponse(408, '', null, 4, 0)).toMatchObject({ kind: 'retry' });
    expect(interpretIntakeResponse(413, '', null, 1, 0)).toMatchObject({ kind: 'done', refused: 1 });
  });
});
