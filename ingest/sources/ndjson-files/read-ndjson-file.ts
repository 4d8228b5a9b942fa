import type { TimeBounds } from '../../../lib/model/time-window';
import { createReadStream } from 'node:fs';
import { basename, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { DeadLetter } from '../../../lib/model/dead-letter';
import { makeDeadLetter } from '../../pipeline/dead-letter';
import type { Pipeline } from '../../pipeline/pipeline';
import { validateNdjsonLines } from '../../pipeline/ndjson-lines';
import type { LineKind } from '../../pipeline/validate-line';
import type { FoundFile } from '../cloudtrail-files/walk';

export const NDJSON_FILES_SOURCE = 'ndjson-files';

/** Lines validated and submitted together: small enough to bound memory, large enough to batch. */
const CHUNK_LINES = 1000;

export type NdjsonFileCounts = { lines: number; accepted: number; rejected: number };

/**
 * Which record kind a file holds, from the traffic generator's layout
 * (`operations/*.ndjson`, `dek-records/*.ndjson`) or a file name starting with the kind.
 */
export function ndjsonKindOf(path: string): LineKind | null {
  const name = basename(path);
  if (!/\.ndjson(\.gz)?$/i.test(name)) return null;
  const dir = basename(dirname(path));
  if (dir === 'operations' || name.startsWith('operations')) return 'operations';
  if (dir === 'dek-records' || name.startsWith('dek-records')) return 'dekRecords';
  return null;
}

/**
 * Streams an NDJSON file of KeyOperations or DekRecords into the pipeline, a chunk of
 * lines at a time (each submit waits while the pipeline is full). The file's checkpoint
 * goes with the last chunk; a crash before it re-reads the file, and ids deduplicate.
 */
export async function ingestNdjsonFile(
  file: FoundFile,
  kind: LineKind,
  pipeline: Pipeline,
  now: Date,
  /** Bytes read since the last call, and lines validated so far (progress bars). */
  onProgress: (bytes: number, lines: number) => void = () => undefined,
  timeBounds?: TimeBounds,
): Promise<{ counts: NdjsonFileCounts; committed: Promise<void> }> {
  const counts: NdjsonFileCounts = { lines: 0, accepted: 0, rejected: 0 };
  const raw = createReadStream(file.path);
  raw.on('data', (chunk) => onProgress(chunk.length, counts.lines));
  const input: Readable = /\.gz$/i.test(file.path) ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (err) => input.destroy(err));
  const ctx = {
    source: pipeline.source,
    location: (line: number) => `${file.path} line ${line}`,
    identity: (line: number, text: string) => `${file.path}\0${line}\0${text}`,
    receivedAt: now,
    times: { mode: 'import' as const, bounds: timeBounds },
  };
  let chunk: string[] = [];
  let firstLine = 1;
  const submit = async (last: boolean, extra: DeadLetter[] = []) => {
    const r = validateNdjsonLines(kind, chunk, firstLine, ctx);
    r.unit = { ...r.unit, deadLetters: [...(r.unit.deadLetters ?? []), ...extra] };
    counts.accepted += r.accepted;
    counts.rejected += r.rejections.length;
    counts.lines += r.accepted + r.rejections.length;
    firstLine += chunk.length;
    chunk = [];
    const checkpoints = last ? [{ source: pipeline.source, key: file.path, value: { size: file.size, mtimeMs: file.mtimeMs, ...counts } }] : [];
    return pipeline.submit({ ...r.unit, checkpoints });
  };
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      chunk.push(line);
      if (chunk.length >= CHUNK_LINES) await submit(false);
    }
  } catch (err) {
    if (!isStreamProblem(err)) throw err;
    // A truncated or corrupt .gz: what was read stands, the rest is one dead letter.
    const deadLetter = makeDeadLetter({
      source: pipeline.source, location: `${file.path} after line ${firstLine + chunk.length - 1}`,
      reason: `unreadable: ${(err as Error).message}`, payload: '', identity: `${file.path}\0${file.size}\0${file.mtimeMs}`, receivedAt: now,
    });
    counts.rejected += 1;
    const receipt = await submit(true, [deadLetter]);
    return { counts, committed: receipt.committed };
  }
  const receipt = await submit(true);
  return { counts, committed: receipt.committed };
}

/** zlib errors (bad header, truncated data) as opposed to I/O failures. */
function isStreamProblem(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return code.startsWith('Z_');
}
