import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../lib/model/audit-event';
import { readCloudTrailContainer } from '../../lib/model/cloudtrail/containers';
import { normalizeCloudTrailRecord, type NormalizeResult } from '../../lib/model/normalize-cloudtrail';
import { publicCorpus } from '../support/public-corpus';

type Json = Record<string, unknown>;
const corpus = publicCorpus().map((c) => c.record);
const IDENTIFYING = /^(record|eventID|eventTime|eventSource|eventName): /;

/** Every outcome is one of three, and each is well formed: stored (a valid AuditEvent), skipped, or dead-lettered with a reason. */
function checkOutcome(result: NormalizeResult): void {
  if (result.ok) {
    AuditEventSchema.parse(result.event);
  } else if (result.skip === 'not_kms') {
    expect(result.reason.length).toBeGreaterThan(0);
  } else {
    expect(result.reason).toMatch(IDENTIFYING);
  }
}

/** A path into a record: keys of objects, indexes of arrays, as deep as the record goes. */
function pathsOf(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (typeof value !== 'object' || value === null) return out;
  for (const key of Object.keys(value)) {
    const seg = Array.isArray(value) ? Number(key) : key;
    out.push([...prefix, seg]);
    pathsOf((value as Record<string, unknown>)[key], [...prefix, seg], out);
  }
  return out;
}

function mutate(record: Json, path: Array<string | number>, replacement: unknown, remove: boolean): Json {
  const copy = structuredClone(record);
  let parent: Record<string | number, unknown> = copy;
  for (const seg of path.slice(0, -1)) parent = parent[seg] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

// A fixed seed keeps the suite deterministic; set KEYSCOPE_FUZZ_SEED to explore further (a failure prints its seed and path).
fc.configureGlobal({ seed: Number(process.env.KEYSCOPE_FUZZ_SEED ?? 20261202) });

const mutation = fc.record({ pick: fc.nat(), value: fc.jsonValue({ maxDepth: 3 }), remove: fc.boolean() });

describe('the normalizer never throws (fast-check)', () => {
  it('arbitrary JSON: stored, skipped or dead-lettered with a reason', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => checkOutcome(normalizeCloudTrailRecord(v))), { numRuns: 2000 });
  });

  it('arbitrary objects with the identifying fields of a KMS record', () => {
    const record = fc.record({
      eventID: fc.oneof(fc.uuid(), fc.string({ maxLength: 200 })),
      eventTime: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string()),
      eventSource: fc.constant('kms.amazonaws.com'),
      eventName: fc.string({ maxLength: 200 }),
      userIdentity: fc.jsonValue({ maxDepth: 3 }),
      requestParameters: fc.jsonValue({ maxDepth: 3 }),
      resources: fc.jsonValue({ maxDepth: 2 }),
      awsRegion: fc.jsonValue({ maxDepth: 1 }),
      recipientAccountId: fc.jsonValue({ maxDepth: 1 }),
    }, { requiredKeys: ['eventSource'] });
    fc.assert(fc.property(record, (r) => checkOutcome(normalizeCloudTrailRecord(r))), { numRuns: 2000 });
  });

  it('real records with up to four fields changed or removed at any depth', () => {
    const kms: Json[] = corpus.map((r) => ({ ...r, eventSource: 'kms.amazonaws.com' }));
    const input = fc.tuple(fc.constantFrom(...kms), fc.array(mutation, { minLength: 1, maxLength: 4 }));
    fc.assert(
      fc.property(input, ([base, changes]) => {
        let record: Json = base;
        for (const c of changes) {
          const paths = pathsOf(record);
          if (paths.length === 0) break;
          record = mutate(record, paths[c.pick % paths.length]!, c.value, c.remove);
        }
        const result = normalizeCloudTrailRecord(record);
        checkOutcome(result);
        // Only damage to an identifying field (or its loss) refuses a real record.
        const intact = ['eventID', 'eventTime', 'eventName'].every((f) => typeof record[f] === 'string' && record[f] === base[f]) && record.eventSource === 'kms.amazonaws.com';
        if (intact && typeof base.eventID === 'string' && base.eventType !== 'AwsCloudTrailInsight' && record.eventType !== 'AwsCloudTrailInsight' && record.eventCategory !== 'Insight') {
          expect(result.ok, result.ok ? '' : result.reason).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('container reader: any text is a container or a reason, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.array(fc.jsonValue(), { maxLength: 5 }).map((vs) => vs.map((v) => JSON.stringify(v)).join('\n'))), (text) => {
        const r = readCloudTrailContainer(text, 'f.json');
        if (!r.ok) expect(r.reason.length).toBeGreaterThan(0);
        else for (const e of r.entries) if (e.ok) checkOutcome(normalizeCloudTrailRecord(e.value));
      }),
      { numRuns: 2000 },
    );
  });
});
