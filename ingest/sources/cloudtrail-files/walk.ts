import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export type FoundFile = { path: string; size: number; mtimeMs: number };

/** Digest files sign the logs; Insights files are another record type. Neither holds API calls. */
const SKIP_DIRS = new Set(['CloudTrail-Digest', 'CloudTrail-Insight']);

/** A delivered log file; dot files are temporaries of writers that rename when done. */
export function isLogFileName(name: string): boolean {
  return !name.startsWith('.') && /\.json(\.gz)?$/i.test(name);
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
export async function* walkLogFiles(root: string, isCandidate: (name: string) => boolean = isLogFileName): AsyncGenerator<FoundFile> {
  const top = resolve(root);
  const st = await stat(top);
  if (st.isFile()) {
    yield { path: top, size: st.size, mtimeMs: st.mtimeMs };
    return;
  }
  yield* walkDir(top, isCandidate);
}

async function* walkDir(dir: string, isCandidate: (name: string) => boolean): AsyncGenerator<FoundFile> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isGone(err)) return;
    throw err;
  }
  entries.sort(byName);
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) yield* walkDir(path, isCandidate);
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
