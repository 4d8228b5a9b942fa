import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import type { Alert } from '../../model/alert';
import type { DeadLetter } from '../../model/dead-letter';
import type { HEALTH_KINDS } from '../../questions/ingest-health/definition';
import { StoreError, type RecordKind, type WriteBatch, type WriteCounts, type WriteResult } from '../types';
import type { BulkAction } from './bulk-body';
import { writeBulk, type BulkOptions, type BulkOutcome } from './bulk-writer';
import {
  alertDoc, auditEventDoc, checkpointDoc, deadLetterDoc, dekRecordDoc, keyOperationDoc, type IngestSourceDoc,
} from './documents';
import { writeKeyStates } from './key-state-writer';
import { compositeId, dekRecordDocumentId, documentId, operationDocumentId, type IndexNames } from './names';
import { withRetry } from './retry';

type HealthKind = (typeof HEALTH_KINDS)[number];
const zero = (): WriteCounts => ({ inserted: 0, updated: 0, duplicates: 0 });

/** An action with what to do with its outcome. */
/** `precounted`: alerts are counted while planned (their rule needs the stored copy), as inserted or updated. */
type Planned = { action: BulkAction; kind: RecordKind; recordId: string; record: unknown; precounted?: 'inserted' | 'updated' };

/**
 * The write side of the Elasticsearch store. Elasticsearch has no transactions, so a batch
 * is made exactly-once by ids instead: records first (create-if-absent, or versioned by
 * updatedAt), and the batch's checkpoints only after every record was acknowledged. A crash
 * in between replays records that are already stored, and they count as duplicates.
 *
 * Key states are merged per fact into the stored ones with optimistic concurrency
 * (./key-state-writer.ts), so several writers may write one key. Alerts and ingest-source
 * marks are read-modify-write by one writer (the ingest service).
 */
export class EsBatchWriter {
  private readonly sourceMarks = new Map<string, IngestSourceDoc>();

  constructor(
    private readonly client: Client,
    private readonly names: IndexNames,
    private readonly bulk: BulkOptions,
    private readonly clock: () => number,
    private readonly refreshAfterWrite: boolean,
  ) {}

  async write(b: WriteBatch): Promise<WriteResult> {
    const result: WriteResult = {
      auditEvents: zero(), keyOperations: zero(), dekRecords: zero(), deadLetters: zero(), keyStates: zero(), alerts: zero(), checkpoints: 0,
    };
    const source = b.source ?? 'unspecified';
    const nowMs = this.clock();
    const planned: Planned[] = [];
    const n = this.names;

    for (const op of b.keyOperations ?? []) {
      planned.push({ kind: 'keyOperations', recordId: op.id, record: op,
        action: { op: 'create', index: n.monthly('key-operations', Date.parse(op.time)), id: operationDocumentId(op), doc: keyOperationDoc(op, source) } });
    }
    for (const e of b.auditEvents ?? []) {
      planned.push({ kind: 'auditEvents', recordId: e.id, record: e,
        action: { op: 'create', index: n.monthly('audit-events', Date.parse(e.time)), id: documentId(e.id), doc: auditEventDoc(e, source) } });
    }
    for (const d of b.deadLetters ?? []) planned.push(deadLetterPlan(n, d));
    for (const r of b.dekRecords ?? []) {
      // External versioning by updatedAt: a later record replaces, the same or an older one is refused (409).
      planned.push({ kind: 'dekRecords', recordId: r.objectId, record: r,
        action: { op: 'index', index: n.entity('dek-records'), id: dekRecordDocumentId(r), version: { value: Date.parse(r.updatedAt), type: 'external' }, doc: dekRecordDoc(r) } });
    }
    planned.push(...(await this.planAlerts(b.alerts ?? [], result.alerts)));

    const outcomes = await writeBulk(this.client, planned.map((p) => p.action), this.bulk);
    const rejected: DeadLetter[] = [];
    outcomes.forEach((o, i) => {
      const p = planned[i]!;
      if (p.precounted === undefined) this.count(result[p.kind], o);
      // A rejected alert was counted while planned; it is a dead letter, not a write.
      else if (o.status === 'rejected') result[p.kind][p.precounted]--;
      if (o.status === 'rejected') rejected.push(rejectedLetter(p, o.reason, source, nowMs));
    });
    // After the records, before the checkpoints: a state is never ahead of what its events stored.
    for (const r of await writeKeyStates(this.client, n.entity('key-states'), b.keyStates ?? [], this.bulk, result.keyStates)) {
      const p: Planned = { kind: 'keyStates', recordId: r.state.keyArn, record: r.state, action: { op: 'index', index: r.index, id: r.id, doc: null } };
      rejected.push(rejectedLetter(p, r.reason, source, nowMs));
    }
    await this.writeRejected(rejected, result.deadLetters);

    await this.markSources(source, b, result, nowMs);
    const checkpoints = (b.checkpoints ?? []).map((c): BulkAction => ({
      op: 'index', index: n.entity('checkpoints'), id: compositeId(c.source, c.key), doc: checkpointDoc(c.source, c.key, c.value, nowMs),
    }));
    if (checkpoints.length > 0) {
      const cp = await writeBulk(this.client, checkpoints, this.bulk);
      const failed = cp.find((o) => o.status === 'rejected');
      if (failed !== undefined && failed.status === 'rejected') throw new StoreError(`Elasticsearch rejected a checkpoint: ${failed.reason}`);
      result.checkpoints = checkpoints.length;
    }
    if (this.refreshAfterWrite) await this.refresh();
    return result;
  }

  /** Makes every write so far visible to searches (tests and the end of an import). */
  async refresh(): Promise<void> {
    await withRetry(this.bulk.retry, 'an Elasticsearch refresh', () =>
      this.client.indices.refresh({ index: `${this.names.prefix}-*`, ignore_unavailable: true, allow_no_indices: true }),
    );
  }

  private count(c: WriteCounts, o: BulkOutcome): void {
    if (o.status === 'created') c.inserted++;
    else if (o.status === 'updated') c.updated++;
    else if (o.status === 'conflict') c.duplicates++;
  }

  /** Records the cluster refused (a mapping conflict, a value out of range) go to the dead letters with its reason. */
  private async writeRejected(letters: DeadLetter[], counts: WriteCounts): Promise<void> {
    if (letters.length === 0) return;
    const outcomes = await writeBulk(this.client, letters.map((d) => deadLetterPlan(this.names, d).action), this.bulk);
    outcomes.forEach((o, i) => {
      if (o.status === 'rejected') throw new StoreError(`Elasticsearch rejected a record and then its dead letter ${letters[i]!.id} (${letters[i]!.reason}): ${o.reason}`);
      this.count(counts, o);
    });
  }

  /** Documents by id; an index not created yet (nothing written to it) has none. */
  private async mget<T>(index: string, ids: string[]): Promise<Array<estypes.MgetResponseItem<T>>> {
    try {
      const res = await withRetry(this.bulk.retry, 'an Elasticsearch mget', () => this.client.mget<T>({ index, ids }));
      return res.docs;
    } catch (err) {
      if (err instanceof errors.ResponseError && err.statusCode === 404) return [];
      throw err;
    }
  }

  private async getDocs<T>(index: string, ids: string[]): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    if (ids.length === 0) return found;
    const res = await this.mget<{ keyscope: { record: T } }>(index, [...new Set(ids)]);
    for (const d of res) {
      if ('found' in d && d.found && d._source !== undefined) found.set(d._id, d._source.keyscope.record);
    }
    return found;
  }

  /** The detector rewrites its alerts: the latest write wins, an identical one is a duplicate. */
  private async planAlerts(alerts: readonly Alert[], counts: WriteCounts): Promise<Planned[]> {
    const index = this.names.entity('alerts');
    const current = await this.getDocs<Alert>(index, alerts.map((a) => documentId(a.id)));
    const final = new Map<string, { alert: Alert; as: 'inserted' | 'updated' }>();
    for (const a of alerts) {
      const id = documentId(a.id);
      const existing = current.get(id);
      if (existing !== undefined && JSON.stringify(existing) === JSON.stringify(a)) {
        counts.duplicates++;
        continue;
      }
      const as = existing === undefined ? 'inserted' : 'updated';
      counts[as]++;
      current.set(id, a);
      final.set(id, { alert: a, as });
    }
    return [...final].map(([id, { alert: a, as }]) => ({ kind: 'alerts', recordId: a.id, record: a, precounted: as,
      action: { op: 'index', index, id, doc: alertDoc(a) } }));
  }

  private async markSources(source: string, b: WriteBatch, result: WriteResult, nowMs: number): Promise<void> {
    const marks: Array<{ kind: HealthKind; times: string[] | undefined; counts: WriteCounts }> = [
      { kind: 'keyOperation', times: b.keyOperations?.map((o) => o.time), counts: result.keyOperations },
      { kind: 'auditEvent', times: b.auditEvents?.map((e) => e.time), counts: result.auditEvents },
      { kind: 'dekRecord', times: b.dekRecords?.map((r) => r.updatedAt), counts: result.dekRecords },
    ];
    const index = this.names.entity('ingest-sources');
    const touched = marks.filter((m) => m.times !== undefined && m.times.length > 0);
    if (touched.length === 0) return;
    const unknown = touched.map((m) => compositeId(source, m.kind)).filter((id) => !this.sourceMarks.has(id));
    if (unknown.length > 0) {
      const res = await this.mget<IngestSourceDoc>(index, unknown);
      for (const d of res) if ('found' in d && d.found && d._source !== undefined) this.sourceMarks.set(d._id, d._source);
    }
    const actions: BulkAction[] = [];
    for (const m of touched) {
      const id = compositeId(source, m.kind);
      let newest = -Infinity;
      for (const t of m.times!) newest = Math.max(newest, Date.parse(t));
      const prev = this.sourceMarks.get(id);
      const doc: IngestSourceDoc = {
        source, kind: m.kind,
        newest_event_ms: Math.max(prev?.newest_event_ms ?? -Infinity, newest),
        last_write_ms: nowMs,
        records: (prev?.records ?? 0) + m.counts.inserted + m.counts.updated,
      };
      this.sourceMarks.set(id, doc);
      actions.push({ op: 'index', index, id, doc });
    }
    const outcomes = await writeBulk(this.client, actions, this.bulk);
    const failed = outcomes.find((o) => o.status === 'rejected');
    if (failed !== undefined && failed.status === 'rejected') throw new StoreError(`Elasticsearch rejected an ingest-source mark: ${failed.reason}`);
  }
}

function deadLetterPlan(n: IndexNames, d: DeadLetter): Planned {
  return { kind: 'deadLetters', recordId: d.id, record: d,
    action: { op: 'create', index: n.entity('dead-letters'), id: documentId(d.id), doc: deadLetterDoc(d) } };
}

const MAX_PAYLOAD = 65_536;

function rejectedLetter(p: Planned, reason: string, source: string, nowMs: number): DeadLetter {
  const payload = JSON.stringify(p.record);
  return {
    id: `elasticsearch-rejected:${p.kind}:${p.recordId}`.slice(0, 256),
    receivedAt: new Date(nowMs).toISOString(),
    source,
    location: `${p.action.index}/${p.action.id}`,
    reason: `Elasticsearch rejected this ${p.kind} record: ${reason}`.slice(0, 4096),
    payload: payload.length > MAX_PAYLOAD ? payload.slice(0, MAX_PAYLOAD) : payload,
  };
}

