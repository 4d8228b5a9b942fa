import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { skippedKindOf, trailPrefixOf, type TrailPrefix } from './trail-path';
import { TreeBoundary, isLogFileName, listDir, walkDir, type DirWalk, type FoundFile, type WalkOptions } from './walk';

/** A listed file, with its trail prefix folder and day when it sits in the trail layout. */
export type ListedFile = FoundFile & { trailDay: { prefixDir: string; day: string } | null };

export type TrailListingOptions = {
  /** Days up to this one (`YYYY-MM-DD`) are not listed; null lists every day of the prefix. */
  cursorOf: (prefixDir: string, prefix: TrailPrefix) => Promise<string | null>;
  /** Called once every day after the cursor has been listed (not when the listing stops early). */
  onPrefixListed: (prefixDir: string, prefix: TrailPrefix, days: readonly string[]) => void;
  onRefused?: WalkOptions['onRefused'];
  onList?: DirWalk['onList'];
};

type Listing = DirWalk & TrailListingOptions;

/**
 * The watcher's listing of a tree. Above the trail prefixes (AWSLogs, organization,
 * accounts, `CloudTrail`, Regions) every folder is listed, which finds new accounts and
 * Regions at the cost of a few directory reads each. Under a prefix only the years,
 * months and days after its cursor are listed, so a poll costs the same with 10 days of
 * history or 10 years. Folders outside the layout are walked whole on every poll.
 */
export async function* listTrailTree(root: string, o: TrailListingOptions): AsyncGenerator<ListedFile> {
  const top = resolve(root);
  const st = await stat(top);
  if (st.isFile()) {
    yield { path: top, size: st.size, mtimeMs: st.mtimeMs, trailDay: null };
    return;
  }
  yield* listFolder(top, { ...o, boundary: await TreeBoundary.of(top, o.onRefused), isCandidate: isLogFileName });
}

async function* untagged(files: AsyncGenerator<FoundFile>): AsyncGenerator<ListedFile> {
  for await (const f of files) yield { ...f, trailDay: null };
}

async function* listFolder(dir: string, l: Listing): AsyncGenerator<ListedFile> {
  const prefix = trailPrefixOf(dir);
  if (prefix !== null) {
    yield* listPrefix(dir, prefix, l);
    return;
  }
  l.onList?.(dir);
  for (const e of await listDir(dir)) {
    const path = join(dir, e.name);
    const kind = l.boundary.kindOf(e, path, l.isCandidate);
    if (kind === 'dir' && skippedKindOf(e.name) === null) yield* listFolder(path, l);
    else if (kind === 'file') {
      const file = await l.boundary.inspect(path);
      if (file !== null) yield { ...file, trailDay: null };
    }
  }
}

/** Entries of `dir` named like a date part (`\d{n}`) are yielded for the caller; everything else is walked whole here. */
async function* datePart(dir: string, digits: number, l: Listing, onPart: (name: string, path: string) => AsyncGenerator<ListedFile>): AsyncGenerator<ListedFile> {
  const re = new RegExp(`^\\d{${digits}}$`);
  l.onList?.(dir);
  for (const e of await listDir(dir)) {
    const path = join(dir, e.name);
    const kind = l.boundary.kindOf(e, path, l.isCandidate);
    if (kind === 'dir') yield* re.test(e.name) ? onPart(e.name, path) : untagged(walkDir(path, l));
    else if (kind === 'file') {
      const file = await l.boundary.inspect(path);
      if (file !== null) yield { ...file, trailDay: null };
    }
  }
}

async function* listPrefix(prefixDir: string, prefix: TrailPrefix, l: Listing): AsyncGenerator<ListedFile> {
  const cursor = await l.cursorOf(prefixDir, prefix);
  // A year or month folder is read only if it can hold a day after the cursor.
  const reaches = (part: string) => cursor === null || part >= cursor.slice(0, part.length);
  const days: string[] = [];
  const none = async function* (): AsyncGenerator<ListedFile> {};
  const inMonth = (yyyy: string, mm: string) => (dd: string, dayDir: string) => {
    const day = `${yyyy}-${mm}-${dd}`;
    if (cursor !== null && day <= cursor) return none();
    days.push(day);
    return tagged(walkDir(dayDir, l), prefixDir, day);
  };
  const inYear = (yyyy: string) => (mm: string, monthDir: string) => reaches(`${yyyy}-${mm}`) ? datePart(monthDir, 2, l, inMonth(yyyy, mm)) : none();
  yield* datePart(prefixDir, 4, l, (yyyy, yearDir) => reaches(yyyy) ? datePart(yearDir, 2, l, inYear(yyyy)) : none());
  l.onPrefixListed(prefixDir, prefix, days);
}

async function* tagged(files: AsyncGenerator<FoundFile>, prefixDir: string, day: string): AsyncGenerator<ListedFile> {
  for await (const f of files) yield { ...f, trailDay: { prefixDir, day } };
}
