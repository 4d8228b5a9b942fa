import { createHash } from 'node:crypto';

/** The record kinds keyscope keeps in Elasticsearch; time series get monthly indices. */
export const TIME_SERIES = ['key-operations', 'audit-events'] as const;
export const ENTITIES = ['dek-records', 'key-states', 'alerts', 'dead-letters', 'checkpoints', 'ingest-sources'] as const;
export type TimeSeriesKind = (typeof TIME_SERIES)[number];
export type EntityKind = (typeof ENTITIES)[number];

/**
 * Index and alias names under one prefix. Time series are written to monthly indices named
 * from each record's own timestamp (`<prefix>-key-operations-2026.11`), not to a data
 * stream's current write index: a replayed record then lands in the index that already
 * holds it, so its id stays unique and the write stays idempotent across rollovers. Reads
 * go through an alias per kind that the index template attaches to every monthly index.
 */
export class IndexNames {
  constructor(readonly prefix: string) {}

  /** Alias that reads every monthly index of a kind. */
  alias(kind: TimeSeriesKind): string {
    return `${this.prefix}-${kind}`;
  }

  pattern(kind: TimeSeriesKind): string {
    return `${this.prefix}-${kind}-*`;
  }

  /** Monthly index (UTC) that holds a record with this timestamp. */
  monthly(kind: TimeSeriesKind, timeMs: number): string {
    const d = new Date(timeMs);
    return `${this.prefix}-${kind}-${d.getUTCFullYear()}.${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  }

  entity(kind: EntityKind): string {
    return `${this.prefix}-${kind}`;
  }

  template(kind: TimeSeriesKind | EntityKind): string {
    return `${this.prefix}-${kind}`;
  }
}

const MAX_ID_BYTES = 512;

/**
 * A document _id for a record id. Elasticsearch caps _id at 512 bytes; longer ids (object
 * paths, alert subjects) become a SHA-256 digest, which is just as stable, so writes stay
 * idempotent.
 */
export function documentId(id: string): string {
  if (Buffer.byteLength(id, 'utf8') <= MAX_ID_BYTES) return id;
  return `sha256:${createHash('sha256').update(id, 'utf8').digest('base64url')}`;
}

/**
 * _id of a key operation: its emitter's id within the writer's scope (service, tenant), so
 * another emitter's operation with the same id is another document, never a duplicate.
 */
export function operationDocumentId(op: { service: string; tenant: string; id: string }): string {
  return documentId(`${op.service}\u0000${op.tenant}\u0000${op.id}`);
}

/** _id of a DEK record: its object within the writer's scope (service, tenant), as for operations. */
export function dekRecordDocumentId(r: { service: string; tenant: string; objectId: string }): string {
  return documentId(`${r.service}\u0000${r.tenant}\u0000${r.objectId}`);
}

/** _id of a checkpoint or another record keyed by two strings. */
export function compositeId(a: string, b: string): string {
  return documentId(`${a}\u0000${b}`);
}
