import { createHash } from 'node:crypto';

/**
 * What the CloudTrail wire server holds: CloudTrail records per account and region, the
 * moment each becomes visible to LookupEvents (late delivery), and the lookup itself:
 * newest first, as the real API returns them, with keyset NextTokens bound to the query.
 */

type Json = Record<string, unknown>;

export type StoredEvent = { record: Json; timeMs: number; id: string; source: string; name: string; visibleAt: number };

/** One LookupEvents result as the API shapes it (EventTime in epoch seconds). */
export type WireEvent = {
  EventId: string;
  EventName: string;
  ReadOnly?: string;
  AccessKeyId?: string;
  EventTime: number;
  EventSource: string;
  Username?: string;
  Resources: Array<{ ResourceType?: string; ResourceName?: string }>;
  CloudTrailEvent: string;
};

export type LookupQuery = {
  scope: string;
  attribute: { key: string; value: string } | null;
  startMs: number;
  endMs: number;
  max: number;
  /** Position after which to continue: the last event of the previous page. */
  after: { timeMs: number; id: string } | null;
  nowMs: number;
};

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Newest first; ties by id, descending, so that a position is exact. */
function before(a: StoredEvent, b: { timeMs: number; id: string }): boolean {
  return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.id < b.id);
}

export class TrailEventLog {
  private readonly byScope = new Map<string, StoredEvent[]>();

  static scopeOf(account: string, region: string): string {
    return `${account}/${region}`;
  }

  /** Adds records (their recipientAccountId and awsRegion pick the scope), visible from `visibleAt`. */
  add(records: readonly Json[], visibleAt: number): StoredEvent[] {
    const added: StoredEvent[] = [];
    for (const record of records) {
      const scope = TrailEventLog.scopeOf(String(record.recipientAccountId), String(record.awsRegion));
      const ev: StoredEvent = {
        record, visibleAt, timeMs: Date.parse(String(record.eventTime)), id: String(record.eventID),
        source: String(record.eventSource), name: String(record.eventName),
      };
      let list = this.byScope.get(scope);
      if (!list) this.byScope.set(scope, (list = []));
      list.push(ev);
      added.push(ev);
    }
    for (const list of this.byScope.values()) list.sort((a, b) => (before(a, b) ? 1 : before(b, a) ? -1 : 0));
    return added;
  }

  /** Makes every hidden event visible now. */
  revealAll(nowMs: number): number {
    let n = 0;
    for (const list of this.byScope.values()) {
      for (const e of list) {
        if (e.visibleAt > nowMs) {
          e.visibleAt = nowMs;
          n++;
        }
      }
    }
    return n;
  }

  count(scope: string): number {
    return this.byScope.get(scope)?.length ?? 0;
  }

  /** One page and whether more matching events follow it. */
  lookup(q: LookupQuery): { events: StoredEvent[]; more: boolean } {
    const list = this.byScope.get(q.scope) ?? [];
    const out: StoredEvent[] = [];
    for (const e of list) {
      if (e.visibleAt > q.nowMs || e.timeMs < q.startMs || e.timeMs > q.endMs) continue;
      if (q.after && !before(e, q.after)) continue;
      if (q.attribute && !matches(e, q.attribute)) continue;
      if (out.length === q.max) return { events: out, more: true };
      out.push(e);
    }
    return { events: out, more: false };
  }
}

function matches(e: StoredEvent, a: { key: string; value: string }): boolean {
  switch (a.key) {
    case 'EventSource':
      return e.source === a.value;
    case 'EventName':
      return e.name === a.value;
    case 'EventId':
      return e.id === a.value;
    default:
      return false;
  }
}

/** The user name LookupEvents shows: the IAM user, else the role session, else the calling service. */
function username(identity: Json): string | undefined {
  const arn = str(identity.arn);
  return str(identity.userName) ?? (arn ? arn.slice(arn.lastIndexOf('/') + 1) : undefined) ?? str(identity.invokedBy);
}

export function toWireEvent(e: StoredEvent): WireEvent {
  const r = e.record;
  const identity = (r.userIdentity ?? {}) as Json;
  const resources = Array.isArray(r.resources) ? (r.resources as Json[]) : [];
  return {
    EventId: e.id,
    EventName: e.name,
    ...(typeof r.readOnly === 'boolean' ? { ReadOnly: String(r.readOnly) } : {}),
    ...(str(identity.accessKeyId) ? { AccessKeyId: str(identity.accessKeyId) } : {}),
    EventTime: e.timeMs / 1000,
    EventSource: e.source,
    ...(username(identity) ? { Username: username(identity) } : {}),
    Resources: resources.map((res) => ({ ResourceType: str(res.type), ResourceName: str(res.ARN) })),
    CloudTrailEvent: JSON.stringify(r),
  };
}

/** Binds a token to its query, so a token reused with other parameters is refused as AWS does. */
export function queryHash(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}
