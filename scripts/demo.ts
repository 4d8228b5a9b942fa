/**
 * `npm run demo`: the ingest service, the dashboard and live traffic on the embedded
 * store. The engine and its traffic generator are here; the ingest service and the
 * dashboard arrive with the next milestone.
 */
process.stdout.write(
  [
    'keyscope demo: not yet — the ingest service and the /oncall dashboard are the next milestone.',
    'Meanwhile, generate traffic on its own:',
    '  npm run traffic -- --scenario steady --duration 60s --rate 200 --out out/traffic',
    '',
  ].join('\n'),
);
