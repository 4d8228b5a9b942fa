/** One document write in a _bulk request. */
export type BulkAction = {
  op: 'create' | 'index';
  index: string;
  id: string;
  /** External version (e.g. a DEK record's updatedAt in ms): the write applies only if newer. */
  version?: { value: number; type: 'external' | 'external_gte' };
  /** Optimistic concurrency: the write applies only if the document is still the one read (else 409). */
  ifSeqNo?: { seqNo: number; primaryTerm: number };
  doc: unknown;
};

/** A _bulk request body and which actions (by position in the caller's list) it carries. */
export type BulkChunk = { body: string; actions: number[] };

/** The two NDJSON lines of one action. */
export function actionLines(a: BulkAction): string {
  const meta: Record<string, unknown> = { _index: a.index, _id: a.id };
  if (a.version !== undefined) {
    meta.version = a.version.value;
    meta.version_type = a.version.type;
  }
  if (a.ifSeqNo !== undefined) {
    meta.if_seq_no = a.ifSeqNo.seqNo;
    meta.if_primary_term = a.ifSeqNo.primaryTerm;
  }
  return `${JSON.stringify({ [a.op]: meta })}\n${JSON.stringify(a.doc)}\n`;
}

/**
 * Serializes actions into _bulk bodies of at most maxBytes each (one oversized action
 * still goes alone, so nothing is dropped; Elasticsearch answers it with its own limit).
 */
export function chunkActions(actions: readonly BulkAction[], positions: readonly number[], maxBytes: number): BulkChunk[] {
  return [...bulkChunks(actions, positions, maxBytes)];
}

/**
 * The same chunks, each serialized only when asked for: the writer sends a body while the
 * next one is being serialized, so the cluster is not idle while a batch is turned into text.
 */
export function* bulkChunks(actions: readonly BulkAction[], positions: readonly number[], maxBytes: number): Generator<BulkChunk> {
  let lines: string[] = [];
  let members: number[] = [];
  let bytes = 0;
  for (const i of positions) {
    const text = actionLines(actions[i]!);
    const size = Buffer.byteLength(text, 'utf8');
    if (members.length > 0 && bytes + size > maxBytes) {
      yield { body: lines.join(''), actions: members };
      lines = [];
      members = [];
      bytes = 0;
    }
    lines.push(text);
    members.push(i);
    bytes += size;
  }
  if (members.length > 0) yield { body: lines.join(''), actions: members };
}
