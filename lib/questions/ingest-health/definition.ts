import { AGGREGATE_ROLES } from '../../auth/roles';
import { z } from 'zod';
import { IsoTime, checkTimeRange, timeRangeShape } from '../common';
import { defineQuestion, type ParamsOf, type ResultOf } from '../define';

/** Record kinds whose event time says how current a source is. */
export const HEALTH_KINDS = ['auditEvent', 'keyOperation', 'dekRecord'] as const;

const Count = z.number().int().nonnegative();

export const ingestHealthQuestion = defineQuestion({
  name: 'ingestHealth',
  audience: AGGREGATE_ROLES,
  description:
    'Per ingest source and record kind: newest event time stored, last write time and lag (now - newest event); ' +
    'dead letters: total, in [from, to), by source, and the latest few with their reason.',
  params: z
    .object({
      ...timeRangeShape,
      /** Reference time for lag; the store's clock when absent. */
      now: IsoTime.optional(),
      latest: z.number().int().min(1).max(50).default(5),
    })
    .strict()
    .superRefine(checkTimeRange),
  result: z.object({
    now: IsoTime,
    sources: z.array(
      z.object({
        source: z.string(),
        kind: z.enum(HEALTH_KINDS),
        newestEventTime: IsoTime,
        lastWriteTime: IsoTime,
        lagMs: z.number().int(),
        /** Records newly stored (duplicates not counted). */
        records: Count,
      }),
    ),
    deadLetters: z.object({
      total: Count,
      inRange: Count,
      bySource: z.array(z.object({ source: z.string(), total: Count, inRange: Count })),
      latest: z.array(z.object({ id: z.string(), receivedAt: IsoTime, source: z.string(), location: z.string(), reason: z.string() })),
    }),
  }),
});
export type IngestHealthParams = ParamsOf<typeof ingestHealthQuestion>;
export type IngestHealthResult = ResultOf<typeof ingestHealthQuestion>;

/** What a backend reads for ingest health; composeIngestHealth shapes it (the same on every backend). */
export type IngestHealthRows = {
  sources: ReadonlyArray<{ source: string; kind: (typeof HEALTH_KINDS)[number]; newestEventMs: number; lastWriteMs: number; records: number }>;
  /** Dead letters per source, already ordered by total descending, then source. */
  deadLettersBySource: ReadonlyArray<{ source: string; total: number; inRange: number }>;
  latest: ReadonlyArray<{ id: string; receivedAtMs: number; source: string; location: string; reason: string }>;
};

export function composeIngestHealth(nowMs: number, rows: IngestHealthRows): IngestHealthResult {
  const bySource = rows.deadLettersBySource.map((s) => ({ source: s.source, total: s.total, inRange: s.inRange }));
  return {
    now: new Date(nowMs).toISOString(),
    sources: rows.sources.map((s) => ({
      source: s.source,
      kind: s.kind,
      newestEventTime: new Date(s.newestEventMs).toISOString(),
      lastWriteTime: new Date(s.lastWriteMs).toISOString(),
      lagMs: nowMs - s.newestEventMs,
      records: s.records,
    })),
    deadLetters: {
      total: bySource.reduce((n, s) => n + s.total, 0),
      inRange: bySource.reduce((n, s) => n + s.inRange, 0),
      bySource,
      latest: rows.latest.map((d) => ({ id: d.id, receivedAt: new Date(d.receivedAtMs).toISOString(), source: d.source, location: d.location, reason: d.reason })),
    },
  };
}
