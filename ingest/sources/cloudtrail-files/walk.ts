import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { skippedKindOf, type SkippedKind } from './trail-path';

export type FoundFile = { path: string; size: number; mtimeMs: number };

export type WalkOptions = {
  isCandidate?: (name: string) => boolean;
  /**
   * Called once per file under a CloudTrail-Digest/ or CloudTrail-Insight/ folder, which
   * hold no API calls and are not read (their names are listed, nothing is stat'ed or opened).
   */
  onSkipped?: (kind: SkippedKind, path: string) => void;
};

/**
 * A file that may hold CloudTrail records (trail files, lookup-events output, JSON-lines
 * exports) or be one to count as skipped (the writability probe); dot files are
 * temporaries of writers that rename when done.
 */
export function isLogFileName(name: string): boolean {
  return !name.startsWith('.') && (/\.(json|jsonl)(\.gz)?$/i.test(name) || name === 'ConfigWritabilityCheckFile');
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

const isGone = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Log files under `root` (or `root` itself when it is a file), depth first in name order:
 * the AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD layout then comes out oldest first.
 * Lazy, so memory is one directory listing per level, not the whole tree. Files and
 * directories that vanish while listed are skipped; symbolic links to directories are not
 * followed (no loops).
 */
export async function* walkLogFiles(root: string, options: WalkOptions = {}): AsyncGenerator<FoundFile> {
  const top = resolve(root);
  const st = await stat(top);
  if (st.isFile()) {
    yield { path: top, size: st.size, mtimeMs: st.mtimeMs };
    return;
  }
  yield* walkDir(top, options.isCandidate ?? isLogFileName, options.onSkipped);
}

async function listDir(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isGone(err)) return [];
    throw err;
  }
}

/** Reports the files of a skipped folder, by name only. */
async function countSkipped(dir: string, kind: SkippedKind, onSkipped: NonNullable<WalkOptions['onSkipped']>): Promise<void> {
  for (const e of (await listDir(dir)).sort(byName)) {
    const path = join(dir, e.name);
    if (e.isDirectory()) await countSkipped(path, kind, onSkipped);
    else if (!e.name.startsWith('.')) onSkipped(kind, path);
  }
}

async function* walkDir(dir: string, isCandidate: (name: string) => boolean, onSkipped: WalkOptions['onSkipped']): AsyncGenerator<FoundFile> {
  const entries = await listDir(dir);
  entries.sort(byName);
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      const skipped = skippedKindOf(e.name);
      if (skipped === null) yield* walkDir(path, isCandidate, onSkipped);
      else if (onSkipped) await countSkipped(path, skipped, onSkipped);
    } else if ((e.isFile() || e.isSymbolicLink()) && isCandidate(e.name)) {
      try {
        const st = await stat(path);
        if (st.isFile()) yield { path, size: st.size, mtimeMs: st.mtimeMs };
      } catch (err) {
        if (!isGone(err)) throw err;
      }
    }
  }
}
