import type { ContainerKind } from '../../lib/model/cloudtrail/containers';
import type { WriteTotals } from '../pipeline/totals';
import type { SkippedKind } from '../sources/cloudtrail-files/trail-path';

/** One account and Region of a trail tree (an organization trail has many). */
export type TrailCounts = {
  organizationId: string | null;
  accountId: string;
  region: string;
  files: number;
  recordsRead: number;
  auditEvents: number;
  notKms: number;
  /** Oldest and newest day folder read (YYYY-MM-DD). */
  firstDay: string;
  lastDay: string;
};

/**
 * The closing summary of an import (`--json` prints it as is). Per source record:
 * recordsRead = stored + duplicates + notKms + record dead letters; a file that cannot be
 * read at all adds one dead letter and no records.
 */
export type ImportSummary = {
  path: string;
  /** Files found: read now, already imported before (checkpoint), or unreadable (dead-lettered or not readable at all). */
  files: number;
  filesRead: number;
  filesAlreadyImported: number;
  filesUnreadable: number;
  recordsRead: number;
  stored: number;
  duplicates: number;
  notKms: number;
  deadLettered: number;
  /** Files under CloudTrail-Digest/ and CloudTrail-Insight/: listed, counted, never read. */
  filesSkipped: Record<SkippedKind, number>;
  /** CloudTrail files read, by what they held (trail files, lookup-events output, JSON lines, digests, ...). */
  containers: Partial<Record<ContainerKind, number>>;
  /** Entries never read: symbolic links, non-regular files, paths that resolve outside the root. */
  entriesRefused: number;
  /** Per account and Region of the trail layout, sorted; files outside it are not listed here. */
  trails: TrailCounts[];
  /** Key states written from management and data-plane events (the key inventory). */
  keyStatesWritten: number;
  byKind: WriteTotals['byKind'];
  durationMs: number;
  eventsPerSecond: number;
};

export type SourceCounts = {
  files: number;
  filesRead: number;
  filesAlreadyImported: number;
  filesUnreadable: number;
  recordsRead: number;
  notKms: number;
  deadLettered: number;
  filesSkipped: Record<SkippedKind, number>;
  containers: Partial<Record<ContainerKind, number>>;
  /** Entries never read: symbolic links, non-regular files, paths that resolve outside the root. */
  entriesRefused: number;
};

export const emptySourceCounts = (): SourceCounts => ({
  files: 0, filesRead: 0, filesAlreadyImported: 0, filesUnreadable: 0, recordsRead: 0, notKms: 0, deadLettered: 0, entriesRefused: 0,
  filesSkipped: { digest: 0, insight: 0 },
  containers: {},
});

export function buildSummary(
  path: string, counts: SourceCounts, totals: WriteTotals[], durationMs: number, trails: TrailCounts[] = [],
): ImportSummary {
  const byKind: WriteTotals['byKind'] = {
    auditEvents: { stored: 0, duplicates: 0 }, keyOperations: { stored: 0, duplicates: 0 }, dekRecords: { stored: 0, duplicates: 0 },
  };
  for (const t of totals) {
    for (const k of Object.keys(byKind) as Array<keyof typeof byKind>) {
      byKind[k].stored += t.byKind[k].stored;
      byKind[k].duplicates += t.byKind[k].duplicates;
    }
  }
  const stored = totals.reduce((n, t) => n + t.stored, 0);
  const duplicates = totals.reduce((n, t) => n + t.duplicates, 0);
  const seconds = Math.max(durationMs, 1) / 1000;
  const keyStatesWritten = totals.reduce((n, t) => n + t.keyStatesWritten, 0);
  return {
    path, ...counts, filesSkipped: { ...counts.filesSkipped }, containers: { ...counts.containers }, trails, keyStatesWritten, stored, duplicates, byKind,
    durationMs: Math.round(durationMs), eventsPerSecond: Math.round(counts.recordsRead / seconds),
  };
}

/** Nothing could be read: no files, or every file found was unreadable. The CLI exits non-zero. */
export function nothingRead(s: ImportSummary): boolean {
  return s.files === 0 || (s.filesUnreadable === s.files);
}

export function formatSummary(s: ImportSummary): string {
  const lines = [
    `imported ${s.path} in ${(s.durationMs / 1000).toFixed(1)} s (${s.eventsPerSecond} events/s)`,
    `  files            ${s.files} (read ${s.filesRead}, already imported ${s.filesAlreadyImported}, unreadable ${s.filesUnreadable})`,
    `  records read     ${s.recordsRead}`,
    `  stored           ${s.stored} (audit events ${s.byKind.auditEvents.stored}, key operations ${s.byKind.keyOperations.stored}, DEK records ${s.byKind.dekRecords.stored})`,
    `  duplicates       ${s.duplicates} (already stored, skipped)`,
    `  not KMS          ${s.notKms} (other services' CloudTrail records, skipped)`,
    `  dead-lettered    ${s.deadLettered}`,
  ];
  const skipped = s.filesSkipped.digest + s.filesSkipped.insight;
  const kinds = Object.entries(s.containers);
  if (kinds.length > 0) lines.push(`  CloudTrail files ${kinds.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  if (s.entriesRefused > 0) lines.push(`  refused          ${s.entriesRefused} entries (symbolic links, non-regular files or outside the path; not read)`);
  if (skipped > 0) lines.push(`  skipped          ${skipped} files (digest ${s.filesSkipped.digest}, Insights ${s.filesSkipped.insight}; no API calls in them)`);
  if (s.trails.length > 0) {
    const accounts = new Set(s.trails.map((t) => t.accountId)).size;
    const regions = new Set(s.trails.map((t) => t.region)).size;
    const orgs = [...new Set(s.trails.map((t) => t.organizationId).filter((o) => o !== null))];
    lines.push(`  trails           ${accounts} accounts, ${regions} Regions${orgs.length > 0 ? ` (organization ${orgs.join(', ')})` : ''}`);
  }
  if (s.keyStatesWritten > 0) lines.push(`  key inventory    ${s.keyStatesWritten} key state writes`);
  return lines.join('\n') + '\n';
}
