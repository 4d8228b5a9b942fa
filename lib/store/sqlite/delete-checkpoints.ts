import type { Database } from 'better-sqlite3';

/**
 * The smallest string above every string that starts with `prefix` (its last character
 * plus one), so the primary key (source, key) answers a prefix as a range; null when the
 * last character has no simple successor (not so for the paths the watcher prunes).
 */
export function prefixUpperBound(prefix: string): string | null {
  if (prefix.length === 0) return null;
  const last = prefix.charCodeAt(prefix.length - 1);
  if (last >= 0xd7ff) return null;
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

/** Deletes a source's checkpoints by key prefix, in one transaction; returns how many. */
export function deleteCheckpointsByPrefix(db: Database, source: string, keyPrefixes: readonly string[]): number {
  const byRange = db.prepare('DELETE FROM checkpoints WHERE source = @source AND key >= @p AND key < @hi');
  const byScan = db.prepare('DELETE FROM checkpoints WHERE source = @source AND substr(key, 1, length(@p)) = @p');
  return db.transaction(() => {
    let n = 0;
    for (const p of keyPrefixes) {
      if (p === '') throw new RangeError('deleteCheckpoints: an empty key prefix would delete every checkpoint of the source');
      const hi = prefixUpperBound(p);
      n += (hi === null ? byScan.run({ source, p }) : byRange.run({ source, p, hi })).changes;
    }
    return n;
  }).immediate();
}
