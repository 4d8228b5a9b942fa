import { AUDIT_FIELDS, CONTEXT_PREFIX } from './fields';

/** Edit distance (insert, delete, substitute, swap of neighbours). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    const prev = d[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/**
 * The catalog name a mistyped field most likely meant: close in spelling to the whole name
 * or to its last part ("action" → event.action), or null when nothing is close.
 */
export function nearestField(name: string): string | null {
  const want = name.toLowerCase().slice(0, 64);
  if (want === CONTEXT_PREFIX.slice(0, -1)) return `${CONTEXT_PREFIX}<key>`;
  let best: { name: string; score: number } | null = null;
  for (const f of AUDIT_FIELDS) {
    const full = f.name.toLowerCase();
    const last = full.slice(full.lastIndexOf('.') + 1);
    const score = Math.min(distance(want, full), distance(want, last) + 0.5);
    if (best === null || score < best.score) best = { name: f.name, score };
  }
  return best !== null && best.score <= Math.max(2, want.length / 3) ? best.name : null;
}
