import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { planImport } from '../../ingest/import/import-plan';
import { runImport } from '../../ingest/import/run-import';
import { formatSummary } from '../../ingest/import/import-summary';
import { TreeBoundary, walkLogFiles, type RefusedEntry } from '../../ingest/sources/cloudtrail-files/walk';
import { kmsApiCall } from '../support/cloudtrail-fixtures';
import { openTempStore } from '../support/temp-store';
import { countRows } from './support/db';
import { ACCOUNT_PREFIX, captureLogger, startTrailWatch, type TrailWatch } from './support/trail-watch';

/* Links are never followed and nothing outside the watched root is read (walk.ts TreeBoundary). */
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function outsideDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-outside-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const record = (label: string) => JSON.stringify({ Records: [kmsApiCall({ eventName: 'Decrypt', label, eventTime: '2026-06-10T00:05:00Z' })] });
  writeFileSync(join(dir, 'secret.json'), record('outside-file'));
  mkdirSync(join(dir, 'day'));
  writeFileSync(join(dir, 'day', 'in-linked-dir.json'), record('outside-dir'));
  return dir;
}

/** Today's folder with one real file, a link to it, a link to a file outside, a linked day folder and a FIFO named like a log. */
function plantLinks(w: TrailWatch, outside: string): { real: string; refused: RefusedEntry[] } {
  const real = w.writeLog(ACCOUNT_PREFIX, '2026-06-10');
  const today = join(w.tree.dir, ACCOUNT_PREFIX, '2026/06/10');
  symlinkSync(real, join(today, 'inside-link.json.gz'));
  symlinkSync(join(outside, 'secret.json'), join(today, 'outside-link.json'));
  symlinkSync(join(outside, 'day'), join(w.tree.dir, ACCOUNT_PREFIX, '2026/06/09'));
  execFileSync('mkfifo', [join(today, 'pipe.json')]);
  return {
    real,
    refused: [
      { path: join(w.tree.dir, ACCOUNT_PREFIX, '2026/06/09'), reason: 'symbolic link' },
      { path: join(today, 'inside-link.json.gz'), reason: 'symbolic link' },
      { path: join(today, 'outside-link.json'), reason: 'symbolic link' },
      { path: join(today, 'pipe.json'), reason: 'not a regular file' },
    ],
  };
}

describe('symbolic links and other entries refused', () => {
  it('the watcher reads only the regular file, counts the refused entries and logs them once', async () => {
    const w = await startTrailWatch();
    cleanups.push(() => w.close());
    const { real, refused } = plantLinks(w, outsideDir());
    expect(await w.poll()).toMatchObject({ files: 1, auditEvents: 1 });
    expect(countRows(w.dbPath, 'audit_events')).toBe(1);
    expect(await w.fileCheckpointKeys()).toEqual([real]);
    expect(w.watcher.stats().refused).toBe(4);
    const warned = () => w.log.filter((l) => l.msg.startsWith('refused '));
    expect(warned()).toHaveLength(1);
    expect(warned()[0]).toMatchObject({ refused: 4, byReason: { 'symbolic link': 3, 'not a regular file': 1 } });
    expect(warned()[0]!.paths).toEqual(refused.map((r) => `${r.path} (${r.reason})`));
    // Listed again on the next poll (today is open): counted and logged once, not per poll.
    expect((await w.poll()).files).toBe(0);
    expect(warned()).toHaveLength(1);
    expect(w.watcher.stats().refused).toBe(4);
  });

  it('import refuses the same entries and says so in one log line', async () => {
    const w = await startTrailWatch();
    cleanups.push(() => w.close());
    plantLinks(w, outsideDir());
    const t = await openTempStore();
    cleanups.push(() => t.cleanup());
    const log = captureLogger();
    const summary = await runImport({ plan: await planImport(w.tree.dir), store: t.store, logger: log.logger, batchRecords: 50, batchMaxAgeMs: 10 });
    expect(summary).toMatchObject({ files: 1, filesRead: 1, stored: 1, entriesRefused: 4 });
    expect(formatSummary(summary)).toMatch(/refused\s+4 entries \(symbolic links/);
    const warned = log.lines.filter((l) => l.msg.startsWith('refused '));
    expect(warned).toEqual([expect.objectContaining({ refused: 4, byReason: { 'symbolic link': 3, 'not a regular file': 1 } })]);
  });

  it('never hands out a file whose real path is outside the root (a folder swapped for a link after the listing)', async () => {
    const outside = outsideDir();
    const root = mkdtempSync(join(tmpdir(), 'keyscope-root-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    writeFileSync(join(root, 'inside.json'), '{"Records": []}');
    symlinkSync(join(outside, 'day'), join(root, 'swapped'));
    const refused: RefusedEntry[] = [];
    const boundary = await TreeBoundary.of(root, (e) => refused.push(e));
    expect(await boundary.inspect(join(root, 'swapped', 'in-linked-dir.json'))).toBeNull();
    expect(await boundary.inspect(join(root, 'inside.json'))).toMatchObject({ path: join(root, 'inside.json') });
    expect(refused).toEqual([{ path: join(root, 'swapped', 'in-linked-dir.json'), reason: 'resolves outside the root' }]);
  });

  it('a root reached through a link is walked (the boundary is its real path)', async () => {
    const real = mkdtempSync(join(tmpdir(), 'keyscope-real-root-'));
    const alias = `${real}-alias`;
    cleanups.push(() => rmSync(real, { recursive: true, force: true }), () => rmSync(alias, { force: true }));
    mkdirSync(join(real, 'x'));
    writeFileSync(join(real, 'x', 'f.json'), '{"Records": []}');
    symlinkSync(real, alias);
    const found: string[] = [];
    for await (const f of walkLogFiles(alias)) found.push(f.path);
    expect(found).toEqual([join(alias, 'x', 'f.json')]);
  });
});
