import { z } from 'zod';
import { IsoTime, checkTimeRange, timeRangeShape } from './common';
import { defineQuestion, type ParamsOf, type ResultOf } from './define';

/** Record kinds whose event time says how current a source is. */
export const HEALTH_KINDS = ['auditEvent', 'keyOperation', 'dekRecord'] as const;

const Count = z.number().int().nonnegative();

export const ingestHealthQuestion = defineQuestion({
  name: 'ingestHealth',
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
