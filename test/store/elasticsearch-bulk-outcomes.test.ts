import type { Client } from '@elastic/elasticsearch';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from '../../lib/model/alert';
import type { KeyState } from '../../lib/model/key-state';
import { normalizeKeyState } from '../../lib/model/key-state-merge';
import type { BulkAction } from '../../lib/store/elasticsearch/bulk-body';
import { writeBulk, type BulkOptions } from '../../lib/store/elasticsearch/bulk-writer';
import { KEY_STATE_ATTEMPTS, writeKeyStates } from '../../lib/store/elasticsearch/key-state-writer';
import { dekRecordDocumentId, IndexNames, operationDocumentId } from '../../lib/store/elasticsearch/names';
import type { RetryPolicy } from '../../lib/store/elasticsearch/retry';
import { EsBatchWriter } from '../../lib/store/elasticsearch/write-batch';
import { StoreError, type WriteCounts } from '../../lib/store/types';
import { makeDekRecord, makeOperation } from '../support/event-fixtures';

/*
 * What the Elasticsearch writer does with each per-item status of a _bulk response, driven
 * through the real writer code by a fake client that answers crafted responses and keeps
 * every body it was sent (the integration tier covers the same against a real node).
 */

type Sent = { op: 'create' | 'index'; index: string; id: string; meta: Record<string, unknown>; doc: unknown };
type Answer = { status: number; result?: 'created' | 'updated'; error?: { type: string; reason: string; caused_by?: { type: string; reason: string } } };
/** `nth`: how many times this document (index and _id) has been sent so far, this time included. */
type Responder = (a: Sent, nth: number) => Answer | undefined;
type StoredDoc = { record: unknown; seqNo: number; primaryTerm: number };

const created: Answer = { status: 201, result: 'created' };
const updated: Answer = { status: 200, result: 'updated' };
const conflict = (id: string): Answer => ({ status: 409, error: { type: 'version_conflict_engine_exception', reason: `[${id}]: version conflict, document already exists` } });
const busy: Answer = { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'rejected execution of coordinating operation [shard_indexing_pressure]' } };
const unavailable: Answer = { status: 503, error: { type: 'unavailable_shards_exception', reason: '[ks-x][0] primary shard is not active' } };
const mappingError: Answer = {
  status: 400,
  error: { type: 'document_parsing_exception', reason: '[1:52] failed to parse field [keyscope.tenant] of type [long]', caused_by: { type: 'illegal_argument_exception', reason: 'For input string: "acme"' } },
};

/** A cluster that answers _bulk per item through `respond` (201 by default) and mget from `stored`. */
class FakeCluster {
  readonly bulks: Sent[][] = [];
  /** Date.now() at each _bulk request (the clock is faked: sleeping moves it). */
  readonly sentAt: number[] = [];
  readonly mgets: Array<{ index: string; ids: string[] }> = [];
  readonly stored = new Map<string, StoredDoc>();
  private readonly sends = new Map<string, number>();

  constructor(private readonly respond: Responder = () => undefined) {}

  get client(): Client {
    const request = async ({ path, bulkBody }: { path: string; bulkBody: string }) => {
      expect(path).toBe('/_bulk');
      const sent = parseBulk(bulkBody);
      this.bulks.push(sent);
      this.sentAt.push(Date.now());
      const items = sent.map((a) => {
        const key = `${a.index}/${a.id}`;
        const nth = (this.sends.get(key) ?? 0) + 1;
        this.sends.set(key, nth);
        const answer = this.respond(a, nth) ?? created;
        return { [a.op]: { _index: a.index, _id: a.id, ...answer } };
      });
      return { took: 1, errors: items.some((i) => Object.values(i)[0]!.error !== undefined), items };
    };
    const mget = async ({ index, ids }: { index: string; ids: string[] }) => {
      this.mgets.push({ index, ids });
      return {
        docs: ids.map((id) => {
          const d = this.stored.get(`${index}/${id}`);
          return d === undefined
            ? { _index: index, _id: id, found: false }
            : { _index: index, _id: id, found: true, _seq_no: d.seqNo, _primary_term: d.primaryTerm, _source: { keyscope: { record: d.record } } };
        }),
      };
    };
    return { transport: { request }, mget } as unknown as Client;
  }

  /** Every document sent to indices whose name contains `part`, in the order sent. */
  sentTo(part: string): Sent[] {
    return this.bulks.flat().filter((a) => a.index.includes(part));
  }
}

function parseBulk(body: string): Sent[] {
  const lines = body.split('\n').filter((l) => l !== '');
  const out: Sent[] = [];
  for (let i = 0; i < lines.length; i += 2) {
    const action = JSON.parse(lines[i]!) as Record<'create' | 'index', Record<string, unknown>>;
    const op = Object.keys(action)[0] as 'create' | 'index';
    const meta = action[op];
    out.push({ op, index: String(meta._index), id: String(meta._id), meta, doc: JSON.parse(lines[i + 1]!) as unknown });
  }
  return out;
}

/** Sleeping moves the (faked) clock, so deadlines pass without waiting; full jitter pinned to its cap. */
function retryPolicy(over: Partial<RetryPolicy> = {}): RetryPolicy & { waits: Array<{ attempt: number; delayMs: number; reason: string }> } {
  const waits: Array<{ attempt: number; delayMs: number; reason: string }> = [];
  return {
    deadlineMs: 60_000, baseDelayMs: 250, maxDelayMs: 10_000, random: () => 1,
    sleep: async (ms) => void vi.setSystemTime(Date.now() + ms),
    onRetry: (info) => waits.push(info),
    ...over,
    waits,
  };
}
const options = (retry: RetryPolicy, over: Partial<BulkOptions> = {}): BulkOptions => ({ maxBytes: 1 << 20, concurrency: 1, retry, ...over });
const action = (id: string, over: Partial<BulkAction> = {}): BulkAction => ({ op: 'create', index: 'ks-key-operations-2026.01', id, doc: { n: id }, ...over });
const byId = (answers: Record<string, Answer | ((nth: number) => Answer)>): Responder => (a, nth) => {
  const x = answers[a.id];
  return typeof x === 'function' ? x(nth) : x;
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.UTC(2026, 0, 2, 12));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('writeBulk: one outcome per action from a mixed _bulk response', () => {
  it('maps 201, 200, 409, 400 and a rejection without a cause in one response (errors: true) to outcomes in order, sending once', async () => {
    const fake = new FakeCluster(byId({
      b: updated, c: conflict('c'), d: mappingError,
      e: { status: 404, error: { type: 'index_not_found_exception', reason: 'no such index [ks-key-operations-2026.01]' } },
    }));
    const outcomes = await writeBulk(fake.client, ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => action(id)), options(retryPolicy()));
    expect(outcomes).toEqual([
      { status: 'created' }, { status: 'updated' }, { status: 'conflict' },
      { status: 'rejected', reason: 'document_parsing_exception: [1:52] failed to parse field [keyscope.tenant] of type [long] (For input string: (withheld))' },
      { status: 'rejected', reason: 'index_not_found_exception: no such index [ks-key-operations-2026.01]' },
      { status: 'created' },
    ]);
    expect(fake.bulks.map((b) => b.map((a) => a.id))).toEqual([['a', 'b', 'c', 'd', 'e', 'f']]);
  });

  it('withholds the value Elasticsearch quotes in a parse error (an encryption-context value, a principal), keeping field and error', async () => {
    const preview: Answer = {
      status: 400,
      error: {
        type: 'document_parsing_exception',
        reason: "[1:120] failed to parse field [keyscope.encryption_context] of type [flattened] in document with id 'x'. Preview of field's value: '{tenant=acme-secret-value, purpose=backup}'",
        caused_by: { type: 'illegal_argument_exception', reason: 'For input string: "acme-secret-value"' },
      },
    };
    const outcomes = await writeBulk(new FakeCluster(() => preview).client, [action('x')], options(retryPolicy()));
    const reason = (outcomes[0] as { reason: string }).reason;
    expect(reason).toContain('failed to parse field [keyscope.encryption_context] of type [flattened]');
    expect(reason).toContain('(withheld)');
    expect(reason).not.toContain('acme-secret-value');
  });

  it('sends the version and if_seq_no conditions in each action line', async () => {
    const fake = new FakeCluster();
    await writeBulk(fake.client, [
      action('v', { op: 'index', version: { value: 1767355200000, type: 'external' } }),
      action('s', { op: 'index', ifSeqNo: { seqNo: 7, primaryTerm: 2 } }),
    ], options(retryPolicy()));
    expect(fake.bulks[0]!.map((a) => a.meta)).toEqual([
      { _index: 'ks-key-operations-2026.01', _id: 'v', version: 1767355200000, version_type: 'external' },
      { _index: 'ks-key-operations-2026.01', _id: 's', if_seq_no: 7, if_primary_term: 2 },
    ]);
  });
});

describe('writeBulk: items refused for load (429, 5xx)', () => {
  it('re-sends only the refused items, unchanged, after one backoff, and they succeed on the second try', async () => {
    const fake = new FakeCluster(byId({
      b: (n) => (n === 1 ? busy : created), c: mappingError, d: (n) => (n === 1 ? unavailable : updated), e: conflict('e'),
    }));
    const retry = retryPolicy();
    const actions = ['a', 'b', 'c', 'd', 'e'].map((id) => action(id));
    const outcomes = await writeBulk(fake.client, actions, options(retry));
    expect(outcomes.map((o) => o.status)).toEqual(['created', 'created', 'rejected', 'updated', 'conflict']);
    expect(fake.bulks.map((b) => b.map((a) => a.id))).toEqual([['a', 'b', 'c', 'd', 'e'], ['b', 'd']]);
    expect(fake.bulks[1]).toEqual(fake.bulks[0]!.filter((a) => a.id === 'b' || a.id === 'd'));
    expect(retry.waits).toEqual([{ attempt: 1, delayMs: retry.baseDelayMs, reason: '2 documents refused for load (429/5xx)' }]);
  });

  it('keeps each outcome at its action when the refused items came from different chunks sent concurrently', async () => {
    const fake = new FakeCluster(byId({ a2: (n) => (n === 1 ? busy : updated), a5: (n) => (n < 3 ? busy : created), a6: mappingError }));
    const actions = Array.from({ length: 8 }, (_, i) => action(`a${i}`));
    // Each action is bigger than maxBytes, so each goes alone: eight requests, two in flight.
    const outcomes = await writeBulk(fake.client, actions, options(retryPolicy(), { maxBytes: 10, concurrency: 2 }));
    expect(outcomes.map((o) => o.status)).toEqual(['created', 'created', 'updated', 'created', 'created', 'created', 'rejected', 'created']);
    expect(fake.bulks.map((b) => b.map((a) => a.id))).toEqual([
      ...actions.map((a) => [a.id]), ['a2'], ['a5'], ['a5'],
    ]);
  });

  it('fails with a clear error once the deadline passes, the waits growing to their cap; the other items are sent once', async () => {
    const fake = new FakeCluster(byId({ c: busy }));
    const retry = retryPolicy({ deadlineMs: 10_000, baseDelayMs: 1_000, maxDelayMs: 4_000 });
    const started = Date.now();
    const err = await writeBulk(fake.client, ['a', 'b', 'c'].map((id) => action(id)), options(retry)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toMatch(/^Elasticsearch kept refusing 1 documents for load \(429\/5xx\) for \d+ s/);
    expect((err as Error).message).toContain('; last refusal: HTTP 429 es_rejected_execution_exception: rejected execution of coordinating operation');
    expect(retry.waits.map((w) => w.delayMs)).toEqual([1_000, 2_000, 4_000, 4_000]);
    // It gave up on the first refusal seen after the deadline, not before and not later.
    expect(fake.sentAt.at(-2)! - started).toBeLessThanOrEqual(retry.deadlineMs);
    expect(fake.sentAt.at(-1)! - started).toBeGreaterThan(retry.deadlineMs);
    expect(fake.bulks[0]!.map((a) => a.id)).toEqual(['a', 'b', 'c']);
    expect(fake.bulks.slice(1).map((b) => b.map((a) => a.id))).toEqual(retry.waits.map(() => ['c']));
  });
});

describe('EsBatchWriter: counts, dead letters and checkpoints from per-item outcomes', () => {
  const names = new IndexNames('ks');
  const writer = (fake: FakeCluster, retry = retryPolicy()) => new EsBatchWriter(fake.client, names, options(retry), () => Date.now(), false);
  const checkpoint = { source: 'intake-http', key: 'cursor', value: 42 };
  const zero: WriteCounts = { inserted: 0, updated: 0, duplicates: 0 };

  it('counts 201s inserted and 409 creates duplicates, dead-letters the 400 with kind, id and reason, then checkpoints', async () => {
    const ops = Array.from({ length: 5 }, (_, i) => makeOperation(i));
    const opId = (i: number) => operationDocumentId(ops[i]!);
    const fake = new FakeCluster((a) => (a.id === opId(1) ? mappingError : a.id === opId(3) ? conflict(a.id) : undefined));
    const res = await writer(fake).write({ source: 'intake-http', keyOperations: ops, checkpoints: [checkpoint] });
    expect(res.keyOperations).toEqual({ inserted: 3, updated: 0, duplicates: 1 });
    expect(res.deadLetters).toEqual({ inserted: 1, updated: 0, duplicates: 0 });
    expect(res.checkpoints).toBe(1);

    const letters = fake.sentTo('-dead-letters');
    expect(letters.map((l) => [l.op, l.id])).toEqual([['create', `elasticsearch-rejected:keyOperations:${ops[1]!.id}`]]);
    const letter = (letters[0]!.doc as { keyscope: { dead_letter: { reason: string; location: string; payload: string } } }).keyscope.dead_letter;
    expect(letter.reason).toBe(`Elasticsearch rejected this keyOperations record: ${'document_parsing_exception: [1:52] failed to parse field [keyscope.tenant] of type [long] (For input string: (withheld))'}`);
    expect(letter.location).toBe(`${names.monthly('key-operations', Date.parse(ops[1]!.time))}/${opId(1)}`);
    expect(JSON.parse(letter.payload)).toEqual(ops[1]);
    // No record was sent twice (a 400 and a 409 are final), and the checkpoint went last.
    expect(fake.sentTo('-key-operations-').map((a) => a.id)).toEqual(ops.map((_, i) => opId(i)));
    expect(fake.bulks.at(-1)!.map((a) => a.index)).toEqual([names.entity('checkpoints')]);
  });

  it('counts DEK records by external version: 201 inserted, 200 a later record, 409 one no newer', async () => {
    const recs = [0, 1, 2].map((i) => makeDekRecord(i));
    const fake = new FakeCluster((a) => (a.id === dekRecordDocumentId(recs[1]!) ? updated : a.id === dekRecordDocumentId(recs[2]!) ? conflict(a.id) : undefined));
    const res = await writer(fake).write({ dekRecords: recs });
    expect(res.dekRecords).toEqual({ inserted: 1, updated: 1, duplicates: 1 });
    expect(fake.sentTo('-dek-records').map((a) => a.meta.version)).toEqual(recs.map((r) => Date.parse(r.updatedAt)));
  });

  it('a rejected alert is a dead letter, not also an inserted alert', async () => {
    const alert = (id: string): Alert => ({
      id, ruleId: 'slo-burn', severity: 'high', subject: 'unwrap-success', title: 'burning', firstSeen: '2026-01-02T00:00:00.000Z',
      lastSeen: '2026-01-02T00:05:00.000Z', status: 'open', evidence: {},
    });
    const fake = new FakeCluster((a) => (a.index.endsWith('-alerts') && a.id.includes('bad') ? mappingError : undefined));
    const res = await writer(fake).write({ alerts: [alert('good-1'), alert('bad-1')] });
    expect(res.alerts).toEqual({ inserted: 1, updated: 0, duplicates: 0 });
    expect(res.deadLetters.inserted).toBe(1);
  });

  it('re-sends a record refused for load alone and checkpoints only after it is stored', async () => {
    const ops = [0, 1, 2].map((i) => makeOperation(i));
    const slow = operationDocumentId(ops[2]!);
    const fake = new FakeCluster((a, n) => (a.id === slow && n === 1 ? busy : undefined));
    const res = await writer(fake).write({ source: 'intake-http', keyOperations: ops, checkpoints: [checkpoint] });
    expect(res.keyOperations).toEqual({ inserted: 3, updated: 0, duplicates: 0 });
    expect(fake.sentTo('-key-operations-').map((a) => a.id)).toEqual([...ops.map((o) => operationDocumentId(o)), slow]);
    const last = (index: string) => fake.bulks.findLastIndex((b) => b.some((a) => a.index.includes(index)));
    expect(last('-checkpoints')).toBeGreaterThan(last('-key-operations-'));
  });

  it('fails the batch when a record is refused for load until the deadline, and writes no checkpoint', async () => {
    const ops = [0, 1].map((i) => makeOperation(i));
    const fake = new FakeCluster((a) => (a.id === operationDocumentId(ops[0]!) ? busy : undefined));
    await expect(writer(fake, retryPolicy({ deadlineMs: 5_000 })).write({ source: 'intake-http', keyOperations: ops, checkpoints: [checkpoint] }))
      .rejects.toThrow(/^Elasticsearch kept refusing 1 documents for load \(429\/5xx\)/);
    expect(fake.sentTo('-checkpoints')).toEqual([]);
    expect(fake.sentTo('-dead-letters')).toEqual([]);
  });

  it('fails the batch when the dead letter of a rejected record is rejected too, naming the kind and both reasons but not the record', async () => {
    const rec = { ...makeDekRecord(7), encryptionContext: { tenant: 'tenant-1', department: 'payroll-context-7f3a' } };
    const fake = new FakeCluster((a) => (a.index.endsWith('-dek-records') ? mappingError
      : a.index.endsWith('-dead-letters') ? { status: 400, error: { type: 'strict_dynamic_mapping_exception', reason: '[1:9] mapping set to strict, dynamic introduction of [x] within [keyscope] is not allowed' } }
        : undefined));
    const err = await writer(fake).write({ dekRecords: [rec], checkpoints: [checkpoint] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    const message = (err as Error).message;
    expect(message).toContain('Elasticsearch rejected this dekRecords record: document_parsing_exception: [1:52] failed to parse field [keyscope.tenant]');
    expect(message).toContain('strict_dynamic_mapping_exception: [1:9] mapping set to strict');
    for (const secret of ['payroll-context-7f3a', rec.objectPath, rec.dekId]) expect(message).not.toContain(secret);
    expect(fake.sentTo('-checkpoints')).toEqual([]);
  });

  it('fails the batch when the cluster rejects a checkpoint', async () => {
    const fake = new FakeCluster((a) => (a.index.endsWith('-checkpoints') ? mappingError : undefined));
    await expect(writer(fake).write({ keyOperations: [makeOperation(0)], checkpoints: [checkpoint] }))
      .rejects.toThrow(new StoreError('Elasticsearch rejected a checkpoint: document_parsing_exception: [1:52] failed to parse field [keyscope.tenant] of type [long] (For input string: (withheld))'));
  });

  it('dead-letters a key state the cluster rejects and counts nothing for it', async () => {
    const fake = new FakeCluster((a) => (a.index.endsWith('-key-states') ? mappingError : undefined));
    const res = await writer(fake).write({ keyStates: [keyState()] });
    expect(res.keyStates).toEqual(zero);
    expect(res.deadLetters).toEqual({ inserted: 1, updated: 0, duplicates: 0 });
    expect(fake.sentTo('-dead-letters').map((l) => l.id)).toEqual([`elasticsearch-rejected:keyStates:${KEY_ARN}`]);
  });
});

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/7a7a7a7a-1111-2222-3333-444455556666';
const at = (min: number) => new Date(Date.UTC(2026, 2, 1, 12, min)).toISOString();
function keyState(over: Partial<KeyState> = {}): KeyState {
  const k = normalizeKeyState({
    keyArn: KEY_ARN, keyId: '7a7a7a7a-1111-2222-3333-444455556666', accountId: '111122223333', region: 'us-east-1', aliases: [], state: 'Unknown',
    rotationEnabled: null, rotationPeriodDays: null, lastRotatedAt: null, currentVersion: null, versions: [], createdAt: null,
    deletionDate: null, firstUsedAt: null, lastUsedAt: null, updatedAt: at(0),
  });
  return { ...k, ...over };
}

describe('writeKeyStates: 409 on if_seq_no and on create', () => {
  const index = 'ks-key-states';
  const counts = (): WriteCounts => ({ inserted: 0, updated: 0, duplicates: 0 });
  const disabled = () => keyState({ state: 'Disabled', asOf: { ...keyState().asOf!, state: at(2) }, updatedAt: at(2) });
  const mine = () => keyState({ rotationEnabled: true, rotationPeriodDays: 180, asOf: { ...keyState().asOf!, rotation: at(3) }, updatedAt: at(3) });
  const record = (a: Sent) => (a.doc as { keyscope: { record: KeyState } }).keyscope.record;

  it('on a 409 for if_seq_no re-reads, merges onto the newer copy and writes with its sequence number', async () => {
    const fake: FakeCluster = new FakeCluster((_a, nth) => {
      if (nth > 1) return updated;
      // Another writer got in first: its copy keeps the policy fact it read and adds its own.
      fake.stored.set(`${index}/${KEY_ARN}`, { record: { ...disabled(), policyUpdatedAt: at(1) }, seqNo: 8, primaryTerm: 1 });
      return conflict(KEY_ARN);
    });
    fake.stored.set(`${index}/${KEY_ARN}`, { record: keyState({ policyUpdatedAt: at(1), updatedAt: at(1) }), seqNo: 7, primaryTerm: 1 });
    const c = counts();
    expect(await writeKeyStates(fake.client, index, [mine()], options(retryPolicy()), c)).toEqual([]);
    expect(c).toEqual({ inserted: 0, updated: 1, duplicates: 0 });
    expect(fake.mgets).toHaveLength(2);
    const sent = fake.sentTo(index);
    expect(sent.map((a) => [a.op, a.meta.if_seq_no, a.meta.if_primary_term])).toEqual([['index', 7, 1], ['index', 8, 1]]);
    expect(record(sent[1]!)).toMatchObject({ state: 'Disabled', rotationEnabled: true, rotationPeriodDays: 180, policyUpdatedAt: at(1), updatedAt: at(3) });
  });

  it('on a 409 for create (another writer created it) re-reads and writes onto that copy', async () => {
    const fake: FakeCluster = new FakeCluster((a) => {
      if (a.op === 'index') return updated;
      fake.stored.set(`${index}/${KEY_ARN}`, { record: disabled(), seqNo: 0, primaryTerm: 1 });
      return conflict(KEY_ARN);
    });
    const c = counts();
    await writeKeyStates(fake.client, index, [mine()], options(retryPolicy()), c);
    expect(c).toEqual({ inserted: 0, updated: 1, duplicates: 0 });
    expect(fake.sentTo(index).map((a) => [a.op, a.meta.if_seq_no])).toEqual([['create', undefined], ['index', 0]]);
  });

  it('re-sends a key state refused for load unchanged, without reading it again (a 429 was not applied)', async () => {
    const fake = new FakeCluster((_a, nth) => (nth === 1 ? busy : updated));
    fake.stored.set(`${index}/${KEY_ARN}`, { record: keyState(), seqNo: 3, primaryTerm: 2 });
    const c = counts();
    await writeKeyStates(fake.client, index, [mine()], options(retryPolicy()), c);
    expect(c).toEqual({ inserted: 0, updated: 1, duplicates: 0 });
    expect(fake.mgets).toHaveLength(1);
    const sent = fake.sentTo(index);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
  });

  it('returns a rejected key state with its reason for the dead letters, counting nothing', async () => {
    const fake = new FakeCluster(() => mappingError);
    const c = counts();
    const rejected = await writeKeyStates(fake.client, index, [mine()], options(retryPolicy()), c);
    expect(rejected.map((r) => [r.id, r.index, r.reason])).toEqual([[KEY_ARN, index, expect.stringMatching(/^document_parsing_exception: /)]]);
    expect(c).toEqual({ inserted: 0, updated: 0, duplicates: 0 });
  });

  it('gives up with a clear error when every attempt meets a 409', async () => {
    let seqNo = 0;
    const fake: FakeCluster = new FakeCluster(() => {
      seqNo++;
      fake.stored.set(`${index}/${KEY_ARN}`, { record: keyState({ lastUsedAt: at(10 + seqNo), updatedAt: at(10 + seqNo) }), seqNo, primaryTerm: 1 });
      return conflict(KEY_ARN);
    });
    await expect(writeKeyStates(fake.client, index, [mine()], options(retryPolicy()), counts()))
      .rejects.toThrow(`1 key state(s) (${KEY_ARN}) changed under this write ${KEY_STATE_ATTEMPTS} times in a row (409 on if_seq_no)`);
    expect(fake.mgets).toHaveLength(KEY_STATE_ATTEMPTS);
  });
});
