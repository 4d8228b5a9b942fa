import { quote } from '@/lib/query-language/format';

/** Minutes either side of the event that its link's range spans, so the histogram has context. */
const AROUND_MS = 5 * 60_000;

/** A link to one event: its id as the query, a range around its time, the row expanded. */
export function eventLink(e: { id: string; time: string }): string {
  const t = Date.parse(e.time);
  const p = new URLSearchParams({
    query: `event.id:${quote(e.id)}`,
    from: new Date(t - AROUND_MS).toISOString(),
    to: new Date(t + AROUND_MS).toISOString(),
    event: e.id,
  });
  return `/security?${p.toString()}`;
}
