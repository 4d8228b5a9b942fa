/**
 * A y axis from 0 to a round number with round ticks (0, 250, 500, …), so a reader can
 * interpolate; Recharts' automatic ticks on a computed domain land on values like 1379.
 */
export function niceScale(max: number, maxTicks = 6): { max: number; ticks: number[] } {
  if (!(max > 0)) return { max: 1, ticks: [0, 1] };
  const raw = max / (maxTicks - 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return { max: top, ticks };
}

/** Ticks from `min` up to 1 in `step`s, widened until there are at most `maxTicks`. */
export function ratioTicks(min: number, step: number, maxTicks = 8): number[] {
  let s = step;
  while ((1 - min) / s + 1 > maxTicks) s *= 2;
  const ticks: number[] = [];
  for (let v = 1; v >= min - s / 1e6; v -= s) ticks.unshift(Number(v.toPrecision(12)));
  return ticks;
}
