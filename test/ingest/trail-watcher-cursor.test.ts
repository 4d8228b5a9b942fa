import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countRows, query } from './support/db';
import { ACCOUNT_PREFIX, ORG_PREFIX, days, startTrailWatch, type TrailWatch } from './support/trail-watch';

/*
 * The watcher's cursor per trail prefix (ingest/sources/cloudtrail-files/trail-cursor.ts):
 * the clock is 2026-06-10 12:00 UTC, the default lookback of 1 day keeps 06-09 and 06-10
 * listed, and 06-08 and earlier close once their files are committed.
 */
let w: TrailWatch | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});
const stored = (t: TrailWatch) => query<{ id: string }>(t.dbPath, 'SELECT id FROM audit_events').map((r) => r.id);
const dayOf = (key: string) => key.split('/').slice(-4, -1).join('-');

describe('trail watcher cursor', () => {
  it('reads history once, then closes the days before the lookback and prunes their file checkpoints', async () => {
    w = await startTrailWatch();
    for (const d of days('2026-06-01', 10)) w.writeLog(ACCOUNT_PREFIX, d);
    expect(await w.poll()).toMatchObject({ files: 10, auditEvents: 10 });
    expect(await w.fileCheckpointKeys()).toHaveLength(10);

    // All committed: 06-01..06-08 close in one move, and their checkpoints go.
    expect((await w.poll()).files).toBe(0);
    expect(await w.cursors()).toEqual([[`cursor:${join(w.tree.dir, ACCOUNT_PREFIX)}`, { through: '2026-06-08', trail: '111122223333/us-east-1' }]]);
    expect((await w.fileCheckpointKeys()).map(dayOf)).toEqual(['2026-06-09', '2026-06-10']);
    expect(w.watcher.stats()).toMatchObject({ prefixes: 1, checkpointsPruned: 8 });
    expect(countRows(w.dbPath, 'audit_events')).toBe(10);
    expect(w.log.filter((l) => l.msg === 'cloudtrail days closed')).toEqual([expect.objectContaining({ trail: '111122223333/us-east-1', through: '2026-06-08', daysClosed: 8 })]);
    expect(w.log.filter((l) => l.msg === 'cloudtrail file checkpoints pruned')).toEqual([expect.objectContaining({ prefixes: 1, checkpointsPruned: 8 })]);
  });

  it('reads new files of today and yesterday (a late one too), and never a file that lands in a closed day', async () => {
    w = await startTrailWatch();
    for (const d of days('2026-06-01', 10)) w.writeLog(ACCOUNT_PREFIX, d);
    await w.poll();
    await w.poll();
    w.writeLog(ACCOUNT_PREFIX, '2026-06-10', 'b');
    w.writeLog(ACCOUNT_PREFIX, '2026-06-09', 'late');
    w.writeLog(ACCOUNT_PREFIX, '2026-06-05', 'too-late');
    w.writeLog(ACCOUNT_PREFIX, '2026-05-20', 'older-still');
    expect(await w.poll()).toMatchObject({ files: 2, auditEvents: 2 });
    expect(stored(w)).toEqual(expect.arrayContaining([w.idOf(ACCOUNT_PREFIX, '2026-06-10', 'b'), w.idOf(ACCOUNT_PREFIX, '2026-06-09', 'late')]));
    expect(stored(w)).not.toContain(w.idOf(ACCOUNT_PREFIX, '2026-06-05', 'too-late'));
    expect((await w.poll()).files).toBe(0);
    expect(countRows(w.dbPath, 'audit_events')).toBe(12);
  });

  it('lists only the open days: more closed history does not make a poll read more directories', async () => {
    w = await startTrailWatch();
    for (const d of days('2026-05-25', 17)) w.writeLog(ACCOUNT_PREFIX, d);
    await w.poll();
    await w.poll(); // lists every day once more, then closes up to 06-08
    await w.poll();
    const before = w.watcher.stats().lastPoll;
    // root, AWSLogs, account, CloudTrail; the prefix (years), 2026 (months), 06 (days); 06-09 and 06-10.
    expect(before).toEqual({ dirsListed: 9, filesListed: 2 });
    for (const d of [...days('2025-01-01', 60), ...days('2026-04-01', 30)]) w.writeLog(ACCOUNT_PREFIX, d, 'history');
    expect((await w.poll()).files).toBe(0);
    expect(w.watcher.stats().lastPoll).toEqual(before);
  });

  it('keeps the lookback configurable: with 3 days, 06-07 stays listed and takes a late file', async () => {
    w = await startTrailWatch({ lookbackDays: 3 });
    for (const d of days('2026-06-01', 10)) w.writeLog(ACCOUNT_PREFIX, d);
    await w.poll();
    await w.poll();
    expect((await w.cursors())[0]![1]).toMatchObject({ through: '2026-06-06' });
    w.writeLog(ACCOUNT_PREFIX, '2026-06-07', 'late');
    expect((await w.poll()).files).toBe(1);
  });

  it('does not close a day while one of its files is not done, nor any day after it', async () => {
    w = await startTrailWatch({ settleMs: 60_000 });
    const old = new Date('2026-06-08T00:10:00Z');
    for (const d of days('2026-06-01', 10)) utimesSync(w.writeLog(ACCOUNT_PREFIX, d), old, old);
    // Written "now": not settled, so 06-04 stays open whatever the clock says.
    const unsettled = w.writeLog(ACCOUNT_PREFIX, '2026-06-04', 'fresh');
    utimesSync(unsettled, new Date('2026-06-10T11:59:30Z'), new Date('2026-06-10T11:59:30Z'));
    expect((await w.poll()).files).toBe(10);
    await w.poll();
    expect((await w.cursors())[0]![1]).toMatchObject({ through: '2026-06-03' });
    expect((await w.fileCheckpointKeys()).map(dayOf)).toEqual(days('2026-06-04', 7));
    w.setNow('2026-06-10T12:05:00Z');
    expect((await w.poll()).files).toBe(1);
    await w.poll();
    expect((await w.cursors())[0]![1]).toMatchObject({ through: '2026-06-08' });
  });

  it('finds a new prefix (an organization trail account) and gives it its own cursor', async () => {
    w = await startTrailWatch();
    for (const d of days('2026-06-01', 10)) w.writeLog(ACCOUNT_PREFIX, d);
    await w.poll();
    await w.poll();
    w.writeLog(ORG_PREFIX, '2026-06-02');
    w.writeLog(ORG_PREFIX, '2026-06-10');
    expect(await w.poll()).toMatchObject({ files: 2 });
    await w.poll();
    expect((await w.cursors()).map(([, v]) => v)).toEqual([
      { through: '2026-06-08', trail: '111122223333/us-east-1' },
      { through: '2026-06-08', trail: 'o-abcdefghij/444455556666/eu-west-1' },
    ]);
    expect(w.watcher.stats().prefixes).toBe(2);
  });

  it('moves with the clock: the next day, yesterday closes', async () => {
    w = await startTrailWatch();
    for (const d of days('2026-06-08', 3)) w.writeLog(ACCOUNT_PREFIX, d);
    await w.poll();
    await w.poll();
    w.setNow('2026-06-11T00:20:00Z');
    w.writeLog(ACCOUNT_PREFIX, '2026-06-11');
    expect((await w.poll()).files).toBe(1);
    expect((await w.cursors())[0]![1]).toMatchObject({ through: '2026-06-09' });
    expect((await w.fileCheckpointKeys()).map(dayOf)).toEqual(['2026-06-10', '2026-06-11']);
  });
});

describe('trail watcher restart', () => {
  it('continues from the stored cursor: closed days stay closed, days missed while down are read', async () => {
    w = await startTrailWatch();
    for (const d of days('2026-06-01', 10)) w.writeLog(ACCOUNT_PREFIX, d);
    await w.poll();
    await w.poll();
    await w.restart();
    // Down for four days; files kept arriving, one into a day already closed.
    w.setNow('2026-06-14T09:00:00Z');
    w.writeLog(ACCOUNT_PREFIX, '2026-06-05', 'too-late');
    for (const d of days('2026-06-11', 4)) w.writeLog(ACCOUNT_PREFIX, d);
    expect(await w.poll()).toMatchObject({ files: 4 });
    expect(stored(w)).not.toContain(w.idOf(ACCOUNT_PREFIX, '2026-06-05', 'too-late'));
    await w.poll();
    expect((await w.cursors())[0]![1]).toMatchObject({ through: '2026-06-12' });
    expect((await w.fileCheckpointKeys()).map(dayOf)).toEqual(['2026-06-13', '2026-06-14']);
    expect(countRows(w.dbPath, 'audit_events')).toBe(14);
    await w.poll();
    expect(w.watcher.stats().lastPoll.filesListed).toBe(2);
  });

  it('after a restart before the cursor was written, reads nothing twice', async () => {
    w = await startTrailWatch();
    for (const d of days('2026-06-01', 10)) w.writeLog(ACCOUNT_PREFIX, d);
    await w.poll();
    await w.restart();
    expect((await w.poll()).files).toBe(0);
    expect((await w.cursors())[0]![1]).toMatchObject({ through: '2026-06-08' });
    expect(countRows(w.dbPath, 'audit_events')).toBe(10);
  });
});
