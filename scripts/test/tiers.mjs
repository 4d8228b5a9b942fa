// The steps of `npm test`, in order: one list shared by `npm test` and `npm run test:soak`.
// Plain Node: it runs before node_modules exists.
export const TIERS = [
  { name: 'typecheck', script: 'typecheck' },
  { name: 'lint', script: 'lint' },
  { name: 'unit', script: 'test:unit' },
  { name: 'process', script: 'test:process' },
  { name: 'integration', script: 'test:integration' },
  { name: 'e2e', script: 'test:browser' },
];

/** `12.3 s` or `4 min 05 s`. */
export function formatSeconds(ms) {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(Math.round(s - m * 60)).padStart(2, '0')} s`;
}
