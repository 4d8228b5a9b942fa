import { describe, expect, it } from 'vitest';
import type { DeadLetter } from '../../lib/model/dead-letter';
import { ingestHealthQuestion } from '../../lib/questions/ingest-health/definition';
import { BACKENDS } from '../conformance/support/backends';
import { makeDekRecord } from '../support/event-fixtures';
import { generateAuditEvents, generateOperations } from '../support/key-operation-generator';
import { HOUR, MIN, T0, iso, ms } from '../support/on-call-fixture';
import { useBackendStore } from '../support/on-call-store';
import { ingestHealth } from '../../lib/questions/registry';


const deadLetter = (i: number, source: string, receivedAtMs: number): DeadLetter => ({
  id: `dl-${i}`, receivedAt: iso(receivedAtMs), source, location: `line ${i}`, reason: `bad record ${i}`, payload: '{"x":',
});
const ops1 = generateOperations(7, 300, { fromMs: T0, toMs: T0 + HOUR });
const ops2 = generateOperations(8, 200, { fromMs: T0 + HOUR, toMs: T0 + 2 * HOUR });
const audit = generateAuditEvents(9, 100, { fromMs: T0, toMs: T0 + 30 * MIN }, 0);
const dead = [
  deadLetter(1, 'intake-http', T0 + 10 * MIN),
  deadLetter(2, 'intake-http', T0 + 70 * MIN),
  deadLetter(3, 'cloudtrail-files', T0 + 80 * MIN),
  deadLetter(4, 'intake-http', T0 + 90 * MIN),
];

describe.each(BACKENDS)('%s: ingestHealth', (backend) => {
  let clock = T0;
  const store = useBackendStore(backend, async (s) => {
    clock = T0 + 65 * MIN;
    await s.writeBatch({ source: 'intake-http', keyOperations: ops1, dekRecords: [makeDekRecord(1)], deadLetters: dead.slice(0, 1) });
    await s.writeBatch({ source: 'cloudtrail-files', auditEvents: audit, deadLetters: [dead[2]!] });
    clock = T0 + 2 * HOUR + 5 * MIN;
    // The second intake batch repeats the first: duplicates are not counted as records.
    await s.writeBatch({ source: 'intake-http', keyOperations: [...ops2, ...ops1], deadLetters: [dead[1]!, dead[3]!, dead[0]!] });
    clock = T0 + 3 * HOUR;
  }, () => clock);
  const ask = async (input: Record<string, unknown>) =>
    ingestHealthQuestion.result.parse(await store().answer(ingestHealth, ingestHealthQuestion.params.parse(input)));

  it('reports per source and kind the newest event, the last write and the lag', async () => {
    const r = await ask({ from: iso(T0 + HOUR), to: iso(T0 + 2 * HOUR) });
    expect(r.now).toBe(iso(T0 + 3 * HOUR));
    const newest = (times: string[]) => Math.max(...times.map(ms));
    const newestOps = newest([...ops1, ...ops2].map((o) => o.time));
    const newestAudit = newest(audit.map((e) => e.time));
    const dekTime = ms(makeDekRecord(1).updatedAt);
    expect(r.sources).toEqual([
      { source: 'cloudtrail-files', kind: 'auditEvent', newestEventTime: iso(newestAudit), lastWriteTime: iso(T0 + 65 * MIN), lagMs: T0 + 3 * HOUR - newestAudit, records: 100 },
      { source: 'intake-http', kind: 'dekRecord', newestEventTime: iso(dekTime), lastWriteTime: iso(T0 + 65 * MIN), lagMs: T0 + 3 * HOUR - dekTime, records: 1 },
      { source: 'intake-http', kind: 'keyOperation', newestEventTime: iso(newestOps), lastWriteTime: iso(T0 + 2 * HOUR + 5 * MIN), lagMs: T0 + 3 * HOUR - newestOps, records: 500 },
    ]);
  });

  it('counts dead letters in total, in range and by source, and lists the latest with reasons', async () => {
    const r = await ask({ from: iso(T0 + HOUR), to: iso(T0 + 85 * MIN), latest: 2, now: iso(T0 + 4 * HOUR) });
    expect(r.now).toBe(iso(T0 + 4 * HOUR));
    expect(r.deadLetters).toEqual({
      total: 4,
      inRange: 2,
      bySource: [
        { source: 'intake-http', total: 3, inRange: 1 },
        { source: 'cloudtrail-files', total: 1, inRange: 1 },
      ],
      latest: [
        { id: 'dl-4', receivedAt: iso(T0 + 90 * MIN), source: 'intake-http', location: 'line 4', reason: 'bad record 4' },
        { id: 'dl-3', receivedAt: iso(T0 + 80 * MIN), source: 'cloudtrail-files', location: 'line 3', reason: 'bad record 3' },
      ],
    });
  });
});
