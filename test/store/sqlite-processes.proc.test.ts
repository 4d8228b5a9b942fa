import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../lib/store';
import type { SliSeriesResult } from '../../lib/questions/sli-series/definition';
import { generateOperations } from '../support/key-operation-generator';
import { tempDbPath } from '../support/temp-store';

const T0 = Date.UTC(2026, 2, 1);
const HOUR = 3_600_000;
const children: ChildProcessWithoutNullStreams[] = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  cleanups.splice(0).forEach((c) => c());
});

function child(...args: string[]): { proc: ChildProcessWithoutNullStreams; lines: AsyncIterator<string> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/support/store-child.ts', ...args], { cwd: process.cwd() });
  children.push(proc);
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  proc.on('exit', (code) => {
    if (code !== 0 && code !== null && stderr) process.stderr.write(`store child failed: ${stderr}\n`);
  });
  return { proc, lines: createInterface({ input: proc.stdout })[Symbol.asyncIterator]() };
}

async function nextLine(lines: AsyncIterator<string>): Promise<string> {
  const r = await lines.next();
  if (r.done) throw new Error('child closed its output');
  return r.value;
}

describe('sqlite store across processes', () => {
  it('a read-only reader in another process sees each committed batch', async () => {
    const db = tempDbPath();
    cleanups.push(db.cleanup);
    const writer = await openStore({ backend: 'sqlite', sqlitePath: db.path });
    const reader = child('reader', db.path);
    expect(await nextLine(reader.lines)).toBe('ready');
    const params = { from: new Date(T0).toISOString(), to: new Date(T0 + HOUR).toISOString(), sli: 'unwrap_success', filters: {} };
    const ask = async (): Promise<SliSeriesResult> => {
      reader.proc.stdin.write(`${JSON.stringify(params)}\n`);
      return JSON.parse(await nextLine(reader.lines)) as SliSeriesResult;
    };
    expect((await ask()).summary.total).toBe(0);

    let expected = 0;
    for (const seed of [1, 2]) {
      const ops = generateOperations(seed, 400, { fromMs: T0, toMs: T0 + HOUR });
      await writer.writeBatch({ keyOperations: ops });
      expected += ops.filter((o) => o.operation === 'unwrap').length;
      // The reader's connection stays open; WAL gives each of its reads the latest commit.
      expect((await ask()).summary.total).toBe(expected);
    }
    // The reader cannot write even by accident.
    const ro = await openStore({ backend: 'sqlite', sqlitePath: db.path }, { mode: 'readonly' });
    await expect(ro.writeBatch({})).rejects.toThrow(/read-only/);
    await ro.close();
    reader.proc.stdin.end();
    await writer.close();
  });

  it('a writer killed at any point leaves exactly the batches its checkpoint names', async () => {
    const db = tempDbPath();
    cleanups.push(db.cleanup);
    const perBatch = 150;
    const writer = child('writer', db.path, String(perBatch));
    // Let it commit a few batches, then kill it without warning, mid-stream.
    for (let i = 0; i < 5; i++) await nextLine(writer.lines);
    writer.proc.kill('SIGKILL');
    await new Promise((resolve) => writer.proc.once('exit', resolve));

    const store = await openStore({ backend: 'sqlite', sqlitePath: db.path });
    const last = (await store.getCheckpoint('crash-test', 'batch')) as number;
    expect(last).toBeGreaterThanOrEqual(4);
    const raw = new Database(db.path, { readonly: true });
    const count = (sql: string): number => (raw.prepare(sql).get() as { n: number }).n;
    // Every committed batch in full, nothing of the one in flight, rollups in step.
    expect(count('SELECT COUNT(*) AS n FROM key_operations')).toBe((last + 1) * perBatch);
    expect(count('SELECT SUM(total) AS n FROM op_rollup_1m')).toBe((last + 1) * perBatch);
    expect(count('SELECT SUM(total) AS n FROM op_rollup_1h')).toBe((last + 1) * perBatch);
    expect(count(`SELECT records AS n FROM ingest_sources WHERE source = 'crash-test'`)).toBe((last + 1) * perBatch);
    raw.close();
    // Resuming from the checkpoint and replaying the in-flight batch stores it once.
    const replay = generateOperations(1000 + last + 1, perBatch, { fromMs: T0, toMs: T0 + HOUR });
    const r = await store.writeBatch({ keyOperations: replay, checkpoints: [{ source: 'crash-test', key: 'batch', value: last + 1 }] });
    expect(r.keyOperations).toEqual({ inserted: perBatch, updated: 0, duplicates: 0 });
    await store.close();
  });
});
