import { CONTEXT_PREFIX } from '../../../query-language/fields';
import { AUDIT_FACET_FIELDS, CONTEXT_KEYS_FACET, HOUR_MS, ROLLUP_SCOPES } from './audit-columns';

/** What one event contributes, as text: facet values (null when absent) and what the principal is seen with. */
export type CountedEvent = {
  timeMs: number;
  failed: boolean;
  keyArn: string | null;
  principal: string | null;
  facets: ReadonlyArray<string | null>; // in AUDIT_FACET_FIELDS order
  contextPairs: ReadonlyArray<[string, string]>;
  seen: ReadonlyArray<[string, string | null]>; // (field, value) beside the context values
};

export type FacetCellRow = { scope: string; scopeValue: string; field: string; bucket: number; value: string; count: number; failures: number };
export type SeenCellRow = { principal: string; field: string; value: string; first: number; last: number; count: number };

const SCOPES = ['', ...ROLLUP_SCOPES] as const;
const FIELDS = ['', ...AUDIT_FACET_FIELDS, CONTEXT_KEYS_FACET] as const;
const CONTEXT_FIELD = FIELDS.length - 1;
/** Cell keys are numbers: (scope slot × 16 + field) × 2^24 + value id, all ids per batch. */
const VALUE_SPAN = 2 ** 24;
const SCOPE_SPAN = 2 ** 20;

type Facet = { count: number; failures: number };
type Seen = { first: number; last: number; count: number };

/**
 * Hourly facet counts and principal sightings of a batch, summed in memory. Strings are
 * interned to small ids once per event and field, so the ~35 cells an event touches are
 * numeric map keys rather than concatenated strings (the hot path of the writer).
 */
export class AuditCounts {
  private ids = new Map<string, number>();
  private values: string[] = [];
  private facets = new Map<number, Map<number, Facet>>(); // hour bucket → cell
  private seen = new Map<number, Map<number, Seen>>(); // principal id → (field, value)

  add(e: CountedEvent): void {
    const bucket = Math.floor(e.timeMs / HOUR_MS) * HOUR_MS;
    let cells = this.facets.get(bucket);
    if (cells === undefined) this.facets.set(bucket, (cells = new Map()));
    const failed = e.failed ? 1 : 0;
    const valueIds = e.facets.map((v) => (v === null ? -1 : this.id(v)));
    const contextIds = e.contextPairs.map(([k]) => this.id(k));
    const scopeValues = [this.id(''), e.keyArn === null ? -1 : this.id(e.keyArn), e.principal === null ? -1 : this.id(e.principal)];
    for (let s = 0; s < scopeValues.length; s++) {
      const sv = scopeValues[s] as number;
      if (sv < 0) continue;
      const slot = s * SCOPE_SPAN + sv;
      bump(cells, slot, 0, scopeValues[0] as number, failed);
      for (let f = 0; f < valueIds.length; f++) {
        const v = valueIds[f] as number;
        if (v >= 0) bump(cells, slot, f + 1, v, failed);
      }
      for (const k of contextIds) bump(cells, slot, CONTEXT_FIELD, k, failed);
    }
    if (e.principal === null) return;
    const p = scopeValues[2] as number;
    let sightings = this.seen.get(p);
    if (sightings === undefined) this.seen.set(p, (sightings = new Map()));
    const t = e.timeMs;
    const see = (field: string, value: string | null): void => {
      if (value === null) return;
      const key = this.id(field) * VALUE_SPAN + this.id(value);
      const c = sightings.get(key);
      if (c === undefined) sightings.set(key, { first: t, last: t, count: 1 });
      else {
        if (t < c.first) c.first = t;
        if (t > c.last) c.last = t;
        c.count++;
      }
    };
    see('', '');
    for (const [field, value] of e.seen) see(field, value);
    for (const [k, v] of e.contextPairs) see(CONTEXT_PREFIX + k, v);
  }

  *facetRows(): Generator<FacetCellRow> {
    for (const [bucket, cells] of this.facets) {
      for (const [key, c] of cells) {
        const value = key % VALUE_SPAN;
        const rest = (key - value) / VALUE_SPAN;
        const field = rest % 16;
        const slot = (rest - field) / 16;
        const sv = slot % SCOPE_SPAN;
        const s = (slot - sv) / SCOPE_SPAN;
        yield { scope: SCOPES[s] as string, scopeValue: this.values[sv] as string, field: FIELDS[field] as string, bucket, value: this.values[value] as string, ...c };
      }
    }
  }

  *seenRows(): Generator<SeenCellRow> {
    for (const [p, cells] of this.seen) {
      for (const [key, c] of cells) {
        const value = key % VALUE_SPAN;
        const field = (key - value) / VALUE_SPAN;
        yield { principal: this.values[p] as string, field: this.values[field] as string, value: this.values[value] as string, ...c };
      }
    }
  }

  clear(): void {
    this.ids = new Map();
    this.values = [];
    this.facets = new Map();
    this.seen = new Map();
  }

  private id(s: string): number {
    let i = this.ids.get(s);
    if (i === undefined) {
      i = this.values.length;
      // A batch is at most 100,000 events (lib/config.ts): far below the key space.
      if (i >= SCOPE_SPAN) throw new Error('too many distinct audit values in one batch');
      this.values.push(s);
      this.ids.set(s, i);
    }
    return i;
  }
}

function bump(cells: Map<number, Facet>, slot: number, field: number, value: number, failed: number): void {
  const key = (slot * 16 + field) * VALUE_SPAN + value;
  const c = cells.get(key);
  if (c === undefined) cells.set(key, { count: 1, failures: failed });
  else {
    c.count++;
    c.failures += failed;
  }
}
