import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ImportInputError } from '../errors';
import { isLogFileName, walkLogFiles, type FoundFile, type WalkOptions } from '../sources/cloudtrail-files/walk';
import { ndjsonKindOf } from '../sources/ndjson-files/read-ndjson-file';
import type { LineKind } from '../pipeline/validate-line';

/** The traffic generator's NDJSON folders, beside its AWSLogs tree. */
const NDJSON_DIRS = ['operations', 'dek-records'] as const;

export type NdjsonInput = FoundFile & { kind: LineKind };

/**
 * What an import reads, as lazy listings: CloudTrail log files anywhere under the path
 * (or the path itself), and NDJSON files in its operations/ and dek-records/ folders
 * (or the path itself). A path that is missing, or a file of neither kind, is an input
 * error with a message that says so.
 */
export type ImportPlan = {
  root: string;
  logFiles: (options?: Pick<WalkOptions, 'onSkipped' | 'onRefused'>) => AsyncGenerator<FoundFile>;
  ndjsonFiles: () => AsyncGenerator<NdjsonInput>;
};

export async function planImport(path: string): Promise<ImportPlan> {
  const root = resolve(path);
  let st;
  try {
    st = await stat(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ImportInputError(`no such file or directory: ${path}`);
    throw new ImportInputError(`cannot read ${path}: ${(err as Error).message}`);
  }
  const none = async function* <T>(): AsyncGenerator<T> {};
  if (st.isFile()) {
    const file: FoundFile = { path: root, size: st.size, mtimeMs: st.mtimeMs };
    const kind = ndjsonKindOf(root);
    if (kind !== null) return { root, logFiles: none, ndjsonFiles: async function* () { yield { ...file, kind }; } };
    if (isLogFileName(basename(root))) return { root, logFiles: async function* () { yield file; }, ndjsonFiles: none };
    throw new ImportInputError(
      `${path}: not a CloudTrail log file (*.json, *.json.gz) nor NDJSON of operations or dek-records (operations*.ndjson, dek-records*.ndjson)`,
    );
  }
  if (!st.isDirectory()) throw new ImportInputError(`${path} is neither a file nor a directory`);
  return { root, logFiles: (options) => walkLogFiles(root, options), ndjsonFiles: () => listNdjson(root) };
}

async function* listNdjson(root: string): AsyncGenerator<NdjsonInput> {
  for (const dir of NDJSON_DIRS) {
    let names: string[];
    try {
      names = (await readdir(join(root, dir))).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') continue;
      throw err;
    }
    for (const name of names) {
      const path = join(root, dir, name);
      const kind = ndjsonKindOf(path);
      if (kind === null || name.startsWith('.')) continue;
      const s = await stat(path);
      if (s.isFile()) yield { path, size: s.size, mtimeMs: s.mtimeMs, kind };
    }
  }
}

/** Files and bytes the plan covers: a first, cheap pass so that progress has a total. */
export async function measurePlan(plan: ImportPlan): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for await (const f of plan.logFiles()) {
    files++;
    bytes += f.size;
  }
  for await (const f of plan.ndjsonFiles()) {
    files++;
    bytes += f.size;
  }
  return { files, bytes };
}
