import type { WriteTotals } from '../../pipeline/totals';
import type { TargetOutcome } from './poller';
import type { TargetStats } from './target-poller';

/** What a `poll-cloudtrail` run did, per target and in total (the `--json` object). */
export type PollSummary = {
  targets: Array<TargetStats & { status: TargetOutcome['status']; error?: string }>;
  requests: number;
  pages: number;
  /** Events the API returned. */
  events: number;
  /** Stored for the first time. */
  stored: number;
  /** Events read again in an overlap: skipped by this run, or refused by the store as already there. */
  skippedSeen: number;
  storeDuplicates: number;
  deadLetters: number;
  throttled: number;
  serverErrors: number;
  durationMs: number;
  eventsPerSecond: number;
};

export function pollSummary(stats: TargetStats[], outcomes: TargetOutcome[], totals: WriteTotals, durationMs: number): PollSummary {
  const sum = (k: 'requests' | 'pages' | 'events' | 'skippedSeen' | 'throttled' | 'serverErrors') => stats.reduce((n, s) => n + s[k], 0);
  const stored = totals.byKind.auditEvents.stored;
  return {
    targets: stats.map((s) => {
      const o = outcomes.find((x) => x.target === s.target);
      return { ...s, status: o?.status ?? 'stopped', ...(o?.error ? { error: o.error } : {}) };
    }),
    requests: sum('requests'), pages: sum('pages'), events: sum('events'), stored,
    skippedSeen: sum('skippedSeen'), storeDuplicates: totals.byKind.auditEvents.duplicates, deadLetters: totals.deadLettersStored,
    throttled: sum('throttled'), serverErrors: sum('serverErrors'),
    durationMs: Math.round(durationMs), eventsPerSecond: Math.round(stored / Math.max(durationMs / 1000, 0.001)),
  };
}

export function formatPollSummary(s: PollSummary): string {
  const lines = s.targets.map(
    (t) => `  ${t.target}: ${t.status}${t.error ? ` (${t.error})` : ''}, ${t.pages} pages, ${t.auditEvents} events, through ${t.through ?? '-'}, ${t.throttled} throttled`,
  );
  return [
    `cloudtrail-api: ${s.stored} events stored, ${s.skippedSeen + s.storeDuplicates} already stored (overlap), ${s.deadLetters} dead letters`,
    `  ${s.requests} requests, ${s.pages} pages, ${s.throttled} throttled, ${s.serverErrors} server errors, ${(s.durationMs / 1000).toFixed(1)} s, ${s.eventsPerSecond} events/s`,
    ...lines,
    '',
  ].join('\n');
}
