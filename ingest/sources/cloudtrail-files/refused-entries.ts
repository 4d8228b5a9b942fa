import type { Logger } from 'pino';
import type { RefusedEntry, RefusedReason } from './walk';

/** Distinct paths remembered, so that a watcher re-listing today's folder logs a link once, not every poll. */
const MAX_REMEMBERED = 100_000;
const EXAMPLES = 20;

/**
 * Entries a walk refused, counted and logged once each: `report` logs, in one line, the
 * ones not reported before (how many, by reason, and the first paths).
 */
export class RefusedEntries {
  private readonly seen = new Set<string>();
  private fresh: RefusedEntry[] = [];
  private total = 0;

  readonly add = (entry: RefusedEntry): void => {
    if (this.seen.has(entry.path)) return;
    if (this.seen.size < MAX_REMEMBERED) this.seen.add(entry.path);
    this.total++;
    this.fresh.push(entry);
  };

  /** Distinct entries refused so far. */
  get count(): number {
    return this.total;
  }

  report(logger: Logger | undefined, root: string): void {
    if (this.fresh.length === 0) return;
    const byReason: Partial<Record<RefusedReason, number>> = {};
    for (const e of this.fresh) byReason[e.reason] = (byReason[e.reason] ?? 0) + 1;
    logger?.warn(
      { root, refused: this.fresh.length, byReason, paths: this.fresh.slice(0, EXAMPLES).map((e) => `${e.path} (${e.reason})`) },
      `refused ${this.fresh.length} entries under ${root}: symbolic links are not followed, only regular files are read, nothing that resolves outside the root`,
    );
    this.fresh = [];
  }
}
