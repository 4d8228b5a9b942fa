import { z } from 'zod';
import type { Checkpoint, CheckpointValue } from '../../../lib/store/types';
import { CLOUDTRAIL_API_SOURCE } from './target';

/** A time window being paged, and the token of its next page. */
export type OpenWindow = { start: string; end: string; nextToken: string };

const Iso = z.iso.datetime();

const ValueSchema = z.object({
  /** Every window up to here has been read to its last page (null: none yet). */
  through: Iso.nullable(),
  /** The window in progress when the last page was stored, to resume after a crash. */
  window: z.object({ start: Iso, end: Iso, nextToken: z.string().min(1) }).nullable(),
  /** Pages read and events they returned under this target so far, as far as committed (for an operator, without a query). */
  pages: z.number().int().min(0),
  events: z.number().int().min(0),
});
export type ApiCheckpoint = z.infer<typeof ValueSchema>;

export const emptyCheckpoint = (): ApiCheckpoint => ({ through: null, window: null, pages: 0, events: 0 });

/** The stored value, or a fresh one when there is none or it is not ours (then the target back-fills again; ids dedupe). */
export function readCheckpoint(value: CheckpointValue | null): ApiCheckpoint {
  const parsed = ValueSchema.safeParse(value);
  return parsed.success ? parsed.data : emptyCheckpoint();
}

export function toCheckpoint(key: string, value: ApiCheckpoint): Checkpoint {
  return { source: CLOUDTRAIL_API_SOURCE, key, value: { ...value, window: value.window === null ? null : { ...value.window } } };
}
