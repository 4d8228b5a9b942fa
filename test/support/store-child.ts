/**
 * A second process for the sqlite store's multi-process tests, run with
 * `node --import tsx test/support/store-child.ts <mode> <db> [...]`.
 *
 * - reader <db>: opens the store read-only and, for every line on stdin (a JSON
 *   sliSeries params object), prints the answer as one JSON line.
 * - writer <db> <perBatch>: writes batches forever, each with its checkpoint
 *   (the batch number), printing the number after each commit, until killed.
 */
import { createInterface } from 'node:readline';
import { openStore } from '../../lib/store';
import { generateOperations } from './key-operation-generator';
import { sliSeries } from '../../lib/questions/registry';

const [mode, path, arg] = process.argv.slice(2);
if (path === undefined) throw new Error('usage: store-child.ts reader|writer <db> [perBatch]');
const config = { backend: 'sqlite' as const, sqlitePath: path };

if (mode === 'reader') {
  const store = await openStore(config, { mode: 'readonly' });
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    const answer = await store.answer(sliSeries, JSON.parse(line));
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  }
  await store.close();
} else if (mode === 'writer') {
  const perBatch = Number(arg ?? '200');
  const store = await openStore(config);
  const T0 = Date.UTC(2026, 2, 1);
  for (let i = 0; ; i++) {
    const ops = generateOperations(1000 + i, perBatch, { fromMs: T0, toMs: T0 + 3_600_000 });
    await store.writeBatch({ source: 'crash-test', keyOperations: ops, checkpoints: [{ source: 'crash-test', key: 'batch', value: i }] });
    process.stdout.write(`${i}\n`);
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
