import type { WriteTotals } from '../pipeline/totals';

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
};

export const emptySourceCounts = (): SourceCounts => ({
  files: 0, filesRead: 0, filesAlreadyImported: 0, filesUnreadable: 0, recordsRead: 0, notKms: 0, deadLettered: 0,
});

export function buildSummary(path: string, counts: SourceCounts, totals: WriteTotals[], durationMs: number): ImportSummary {
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
  return { path, ...counts, stored, duplicates, byKind, durationMs: Math.round(durationMs), eventsPerSecond: Math.round(counts.recordsRead / seconds) };
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
  return lines.join('\n') + '\n';
}
