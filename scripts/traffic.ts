/**
 * `npm run traffic`: realistic key-usage traffic through the envelope engine and the
 * local KMS. A thin adapter: flags are parsed and validated here, the work is in
 * lib/engine/traffic.
 */
import { Command, Option } from 'commander';
import { ZodError } from 'zod';
import { loadConfig } from '../lib/config';
import { formatDuration } from '../lib/engine/traffic/duration';
import { runTraffic, outputLayout } from '../lib/engine/traffic/generator';
import { SCENARIOS, resolveTrafficOptions, type TrafficFlags, type TrafficOptions } from '../lib/engine/traffic/options';
import { createProgressLine } from '../lib/engine/traffic/progress';

const program = new Command('traffic')
  .description('Generate envelope-encryption traffic: a CloudTrail trail of KMS calls, key operations and DEK records.')
  .addOption(new Option('--scenario <name>', 'what happens in the run').choices(SCENARIOS).default('steady'))
  .option('--rate <objects/s>', 'objects written per second on average (diurnal load around it)', '20')
  .option('--duration <duration>', 'length of the traffic window, e.g. 60s, 15m, 24h, 2d', '10m')
  .option('--seed <int>', 'same seed, same traffic', '1')
  .option('--out <dir>', 'where the CloudTrail tree, operations/, dek-records/ and labels/ go', 'out/traffic')
  .option('--intake <url>', 'POST operations and DEK records to this ingest intake instead of files')
  .option('--otlp <url>', 'send key operations as OpenTelemetry spans to this OTLP/HTTP receiver (docs/otel.md); DEK records go to files or --intake')
  .option('--intake-token <token>', 'emitter token sent as Authorization: Bearer to --intake and --otlp (default: KEYSCOPE_INTAKE_TOKEN)')
  .addOption(new Option('--otlp-protocol <protocol>', 'OTLP/HTTP body encoding').choices(['http/protobuf', 'http/json']).default('http/protobuf'))
  .option('--start <time>', 'window start: ISO time, "now", or an offset like -24h (default: duration ago)')
  .option('--speed <factor|max>', 'time compression: "max" (as fast as possible) or a factor of real time (default: max for past windows, 1 from now)')
  .addOption(new Option('--dek-policy <policy>', 'DEK per object, or cached per window').choices(['cached', 'per-object']).default('cached'))
  .option('--read-ratio <n>', 'reads per write', '0.8')
  .option('--rewrap-rate <objects/s>', 'speed of the rewrap job in the rotation scenario', '50')
  .option('--kms-state <file>', 'keep the local KMS keys in this file between runs (needs KEYSCOPE_KMS_ROOT_KEY)')
  .option('--no-progress', 'no progress line')
  .option('--json', 'print the closing summary as one JSON object')
  .addHelpText(
    'after',
    `
Scenarios:
  steady      healthy KMS, diurnal reads and writes
  kms-outage  most KMS calls fail (KMSInternalException, timeouts) for a sixth of the run
  throttling  many calls answered ThrottlingException for a quarter of the run
  rotation    KEKs rotate a third in; a rewrap job moves DEKs to the new version from halfway
  compromise  a principal that never used the keys bulk-decrypts at night; labels/ says which events

Examples:
  npm run traffic -- --scenario steady --duration 60s --rate 200 --out out/traffic
  npm run traffic -- --scenario rotation --duration 24h --rate 10     # a day of history, in seconds
  npm run traffic -- --start now --duration 30m --scenario kms-outage  # live
  npm run traffic -- --duration 1h --otlp http://127.0.0.1:4318       # operations as OTLP spans`,
  );

function parseOptions(flags: TrafficFlags): TrafficOptions {
  try {
    return resolveTrafficOptions(flags, Date.now());
  } catch (e) {
    const message = e instanceof ZodError ? e.issues.map((i) => i.message).join('; ') : (e as Error).message;
    return program.error(`error: ${message}`, { exitCode: 2 });
  }
}

async function main(): Promise<void> {
  program.parse();
  const { json, ...rest } = program.opts<Record<string, string | boolean | undefined>>();
  const flags = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as unknown as TrafficFlags;
  const config = loadConfig();
  const options = parseOptions({ ...flags, ...(flags.intakeToken === undefined && config.emitterToken !== null ? { intakeToken: config.emitterToken } : {}) });
  const summary = await runTraffic(options, {
    progress: options.progress ? createProgressLine(options.scenario) : undefined,
    kmsRootKey: config.kmsRootKey,
  });
  if (json) {
    process.stdout.write(JSON.stringify(summary) + '\n');
    return;
  }
  const c = summary.counters;
  const records = options.intakeUrl ?? outputLayout(options.outDir).dekRecords;
  const out = options.otlpUrl
    ? `operations → OTLP ${options.otlpUrl} (${options.otlpProtocol}), DEK records → ${records}`
    : options.intakeUrl ? `operations and DEK records → ${options.intakeUrl}` : `${outputLayout(options.outDir).operations}, ${outputLayout(options.outDir).dekRecords}`;
  process.stdout.write(
    [
      `${summary.scenario} (seed ${summary.seed}): ${summary.window.start} → ${summary.window.end}, generated in ${formatDuration(summary.realMs)}`,
      `  objects written ${c.objectsWritten}, read ${c.objectsRead}, rewrapped ${c.rewrapped}${c.attackerDecrypts ? `, decrypted by the attacker ${c.attackerDecrypts}` : ''}`,
      `  key operations ${c.operations}, KMS calls ${c.kmsCalls}, failed operations ${c.failures}`,
      `  CloudTrail: ${summary.cloudTrail.records} records in ${summary.cloudTrail.files} files under ${outputLayout(options.outDir).cloudTrail}`,
      `  ${out}`,
      summary.labels ? `  labels: ${summary.labels} attack events in ${outputLayout(options.outDir).labels}` : '',
    ]
      .filter(Boolean)
      .join('\n') + '\n',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`traffic: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
