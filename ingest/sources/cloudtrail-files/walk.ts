import type { Dirent } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { skippedKindOf, type SkippedKind } from './trail-path';

export type FoundFile = { path: string; size: number; mtimeMs: number };

/** Why a listed entry was not read: links are never followed, and nothing outside the root is read. */
export type RefusedReason = 'symbolic link' | 'not a regular file' | 'resolves outside the root';
export type RefusedEntry = { path: string; reason: RefusedReason };

export type WalkOptions = {
  isCandidate?: (name: string) => boolean;
  /**
   * Called once per file under a CloudTrail-Digest/ or CloudTrail-Insight/ folder, which
   * hold no API calls and are not read (their names are listed, nothing is stat'ed or opened).
   */
  onSkipped?: (kind: SkippedKind, path: string) => void;
  /** Called for each entry refused (a symbolic link, a FIFO named like a log file, a path that resolves outside the root). */
  onRefused?: (entry: RefusedEntry) => void;
};

/**
 * A file that may hold CloudTrail records (trail files, lookup-events output, JSON-lines
 * exports) or be one to count as skipped (the writability probe); dot files are
 * temporaries of writers that rename when done.
 */
export function isLogFileName(name: string): boolean {
  return !name.startsWith('.') && (/\.(json|jsonl)(\.gz)?$/i.test(name) || name === 'ConfigWritabilityCheckFile');
}

export function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

const isGone = (err: unknown) => ['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '');

/** A directory's entries in name order; none when it vanished while listed. */
export async function listDir(dir: string): Promise<Dirent[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).sort(byName);
  } catch (err) {
    if (isGone(err)) return [];
    throw err;
  }
}

/**
 * What a walk may read: regular files and directories under the root's real path. The
 * entry types come from the listing (lstat semantics), so links are refused unfollowed;
 * each file is lstat'ed, and its folder realpath'ed, before it is handed out, so one whose
 * folder was swapped for a link after the listing is refused too. (A regular file's real
 * path is its folder's plus its name; one realpath per folder, not per file, keeps an
 * import of 100k files from paying ~3 s for it.)
 */
export class TreeBoundary {
  private folder: { dir: string; inside: boolean } | null = null;

  private constructor(private readonly realRoot: string, private readonly onRefused: WalkOptions['onRefused']) {}

  static async of(root: string, onRefused?: WalkOptions['onRefused']): Promise<TreeBoundary> {
    return new TreeBoundary(await realpath(root), onRefused);
  }

  /** 'dir' to descend, 'file' to inspect, null to pass over (refused links are reported). */
  kindOf(e: Dirent, path: string, isCandidate: (name: string) => boolean): 'dir' | 'file' | null {
    if (e.name.startsWith('.')) return null;
    if (e.isSymbolicLink()) return this.refuse(path, 'symbolic link');
    if (e.isDirectory()) return 'dir';
    if (!isCandidate(e.name)) return null;
    return e.isFile() ? 'file' : this.refuse(path, 'not a regular file');
  }

  /** The file as it is now, or null when it vanished or is refused. */
  async inspect(path: string): Promise<FoundFile | null> {
    try {
      const st = await lstat(path);
      if (st.isSymbolicLink()) return this.refuse(path, 'symbolic link');
      if (!st.isFile()) return this.refuse(path, 'not a regular file');
      if (!(await this.folderInside(dirname(path)))) return this.refuse(path, 'resolves outside the root');
      return { path, size: st.size, mtimeMs: st.mtimeMs };
    } catch (err) {
      if (isGone(err)) return null;
      throw err;
    }
  }

  private async folderInside(dir: string): Promise<boolean> {
    if (this.folder?.dir !== dir) {
      const real = await realpath(dir);
      this.folder = { dir, inside: real === this.realRoot || this.contains(real) };
    }
    return this.folder.inside;
  }

  private contains(real: string): boolean {
    return real.startsWith(this.realRoot.endsWith(sep) ? this.realRoot : this.realRoot + sep);
  }

  private refuse(path: string, reason: RefusedReason): null {
    this.onRefused?.({ path, reason });
    return null;
  }
}

/**
 * Log files under `root` (or `root` itself when it is a file), depth first in name order:
 * the AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD layout then comes out oldest first.
 * Lazy, so memory is one directory listing per level, not the whole tree. Files and
 * directories that vanish while listed are skipped; links are refused (TreeBoundary).
 */
export async function* walkLogFiles(root: string, options: WalkOptions = {}): AsyncGenerator<FoundFile> {
  const top = resolve(root);
  const st = await stat(top);
  if (st.isFile()) {
    // Named by the operator, so a link is taken: the boundary is what lies beneath a directory.
    yield { path: top, size: st.size, mtimeMs: st.mtimeMs };
    return;
  }
  const walk: DirWalk = { boundary: await TreeBoundary.of(top, options.onRefused), isCandidate: options.isCandidate ?? isLogFileName, onSkipped: options.onSkipped };
  yield* walkDir(top, walk);
}

export type DirWalk = {
  boundary: TreeBoundary;
  isCandidate: (name: string) => boolean;
  onSkipped?: WalkOptions['onSkipped'];
  /** Each directory read (what a poll costs: the watcher's stats and benchmark). */
  onList?: (dir: string) => void;
};

/** Reports the files of a skipped folder, by name only. */
async function countSkipped(dir: string, kind: SkippedKind, onSkipped: NonNullable<WalkOptions['onSkipped']>): Promise<void> {
  for (const e of await listDir(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory()) await countSkipped(path, kind, onSkipped);
    else if (!e.name.startsWith('.')) onSkipped(kind, path);
  }
}

/** Every log file under `dir`, with no regard to the trail layout. */
export async function* walkDir(dir: string, w: DirWalk): AsyncGenerator<FoundFile> {
  w.onList?.(dir);
  for (const e of await listDir(dir)) {
    const path = join(dir, e.name);
    const kind = w.boundary.kindOf(e, path, w.isCandidate);
    if (kind === 'dir') {
      const skipped = skippedKindOf(e.name);
      if (skipped === null) yield* walkDir(path, w);
      else if (w.onSkipped) await countSkipped(path, skipped, w.onSkipped);
    } else if (kind === 'file') {
      const file = await w.boundary.inspect(path);
      if (file !== null) yield file;
    }
  }
}
