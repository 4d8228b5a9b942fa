import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import type { KeyState } from '../../model/key-state';
import { mergeKeyStates, normalizeKeyState } from '../../model/key-state-merge';
import { StoreError, type WriteCounts } from '../types';
import type { BulkAction } from './bulk-body';
import { writeBulk, type BulkOptions } from './bulk-writer';
import { keyStateDoc } from './documents';
import { documentId } from './names';
import { backoffDelay, withRetry } from './retry';

/** How many times one write reads, merges and writes a key state that other writers keep changing. */
export const KEY_STATE_ATTEMPTS = 25;
/** Waits between those attempts: short, since the other writer's change is already visible to the next read. */
const CONFLICT_DELAY = { baseDelayMs: 5, maxDelayMs: 500 };

type Stored = { state: KeyState; seqNo: number; primaryTerm: number };
export type RejectedKeyState = { state: KeyState; index: string; id: string; reason: string };

/** The stored states with their sequence numbers (mget is real-time: it sees writes not yet refreshed). */
async function readStored(client: Client, index: string, ids: string[], bulk: BulkOptions): Promise<Map<string, Stored>> {
  const found = new Map<string, Stored>();
  let docs: Array<estypes.MgetResponseItem<{ keyscope: { record: KeyState } }>>;
  try {
    docs = (await withRetry(bulk.retry, 'an Elasticsearch mget of key states', () => client.mget<{ keyscope: { record: KeyState } }>({ index, ids }))).docs;
  } catch (err) {
    if (err instanceof errors.ResponseError && err.statusCode === 404) return found;
    throw err;
  }
  for (const d of docs) {
    if (!('found' in d) || !d.found || d._source === undefined) continue;
    if (d._seq_no === undefined || d._primary_term === undefined) throw new StoreError(`Elasticsearch returned key state ${d._id} without _seq_no/_primary_term`);
    found.set(d._id, { state: d._source.keyscope.record, seqNo: d._seq_no, primaryTerm: d._primary_term });
  }
  return found;
}

/**
 * Merges each key state into the stored one per fact (lib/model/key-state-merge.ts) and
 * writes it only if the document is still the one read (create, or if_seq_no and
 * if_primary_term); on 409 another writer got there first, so it reads, merges and tries
 * again, up to KEY_STATE_ATTEMPTS times. A merge that changes nothing writes nothing.
 * Returns the states the cluster rejected (mapping errors), for the dead letters.
 */
export async function writeKeyStates(
  client: Client, index: string, states: readonly KeyState[], bulk: BulkOptions, counts: WriteCounts,
): Promise<RejectedKeyState[]> {
  const incoming = new Map<string, KeyState[]>();
  for (const k of states) {
    const id = documentId(k.keyArn);
    incoming.set(id, [...(incoming.get(id) ?? []), k]);
  }
  const rejected: RejectedKeyState[] = [];
  const sleep = bulk.retry.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let pending = [...incoming.keys()];
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt === KEY_STATE_ATTEMPTS) {
      throw new StoreError(
        `${pending.length} key state(s) (${incoming.get(pending[0]!)![0]!.keyArn}${pending.length > 1 ? ', ...' : ''}) changed under this write ` +
          `${KEY_STATE_ATTEMPTS} times in a row (409 on if_seq_no): other writers keep rewriting them; the batch was not checkpointed and can be retried`,
      );
    }
    if (attempt > 0) await sleep(backoffDelay({ ...bulk.retry, ...CONFLICT_DELAY }, attempt - 1));
    const stored = await readStored(client, index, pending, bulk);
    const actions: BulkAction[] = [];
    const written: Array<{ id: string; state: KeyState; counts: WriteCounts }> = [];
    for (const id of pending) {
      const s = stored.get(id);
      const { state, counts: c } = foldInto(s === undefined ? undefined : normalizeKeyState(s.state), incoming.get(id)!);
      if (c.inserted + c.updated === 0) {
        counts.duplicates += c.duplicates;
        continue;
      }
      actions.push(s === undefined
        ? { op: 'create', index, id, doc: keyStateDoc(state) }
        : { op: 'index', index, id, ifSeqNo: { seqNo: s.seqNo, primaryTerm: s.primaryTerm }, doc: keyStateDoc(state) });
      written.push({ id, state, counts: c });
    }
    const outcomes = await writeBulk(client, actions, bulk);
    const again: string[] = [];
    outcomes.forEach((o, i) => {
      const w = written[i]!;
      if (o.status === 'conflict') again.push(w.id);
      else if (o.status === 'rejected') rejected.push({ state: w.state, index, id: w.id, reason: o.reason });
      else for (const k of ['inserted', 'updated', 'duplicates'] as const) counts[k] += w.counts[k];
    });
    pending = again;
  }
  return rejected;
}

/** One key's states merged in turn onto the stored one, each counted as sqlite counts it (inserted, updated, or a duplicate that changed nothing). */
function foldInto(stored: KeyState | undefined, states: readonly KeyState[]): { state: KeyState; counts: WriteCounts } {
  const counts: WriteCounts = { inserted: 0, updated: 0, duplicates: 0 };
  let current = stored;
  for (const k of states) {
    const next = current === undefined ? normalizeKeyState(k) : mergeKeyStates(current, k);
    if (current === undefined) counts.inserted++;
    else if (JSON.stringify(next) === JSON.stringify(current)) counts.duplicates++;
    else counts.updated++;
    current = next;
  }
  return { state: current!, counts };
}
