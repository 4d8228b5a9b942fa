import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../../lib/config';
import { importCommand, type ImportFlags } from './import-command';
import { refreshKeysCommand, type RefreshKeysFlags } from './refresh-keys-command';
import { pollCloudTrailCommand, type PollFlags } from './poll-cloudtrail-command';
import { serveCommand, type ServeFlags } from './serve-command';

function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('a whole number from 1 to 64');
  return n;
}

/**
 * The `npm run ingest` command line. Flags are parsed here and handed to the commands,
 * which are thin adapters over ingest/ (STYLE.md 9). Resolves to the exit code.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const config = loadConfig();
  let exitCode = 0;
  const program = new Command('ingest')
    .description('keyscope ingest service: HTTP intake, CloudTrail log files, SLO alerts; and one-shot imports')
    .showHelpAfterError();
  program
    .command('serve', { isDefault: true })
    .description('run the service: intake on KEYSCOPE_INTAKE_HOST:KEYSCOPE_INTAKE_PORT, the CloudTrail watcher and LookupEvents poller, the alert scheduler')
    .option('--watch <dir>', 'CloudTrail log directory to watch (default KEYSCOPE_CLOUDTRAIL_DIR)')
    .option('--db <path>', 'sqlite database file (default KEYSCOPE_SQLITE_PATH)')
    .action(async (flags: ServeFlags) => {
      exitCode = await serveCommand(flags, config);
    });
  program
    .command('import <path>')
    .description('backfill a CloudTrail log file or tree (and operations/, dek-records/ NDJSON beside it) into the store')
    .option('--db <path>', 'sqlite database file (default KEYSCOPE_SQLITE_PATH)')
    .option('--json', 'print the closing summary as one JSON object on stdout')
    .option('--no-progress', 'no progress bar')
    .option('--concurrency <n>', 'CloudTrail files read at once (1-64)', parseConcurrency, 4)
    .action(async (path: string, flags: ImportFlags) => {
      exitCode = await importCommand(path, flags, config);
    });
  program
    .command('poll-cloudtrail')
    .description('poll CloudTrail LookupEvents (kms.amazonaws.com) for KEYSCOPE_CLOUDTRAIL_API_TARGETS; a first run back-fills')
    .option('--targets <list>', 'profile:region,... (default KEYSCOPE_CLOUDTRAIL_API_TARGETS)')
    .option('--backfill-days <n>', 'how far back a first run reads, 0-90 (default KEYSCOPE_CLOUDTRAIL_API_BACKFILL_DAYS)')
    .option('--once', 'poll every target once, then exit')
    .option('--db <path>', 'sqlite database file (default KEYSCOPE_SQLITE_PATH)')
    .option('--json', 'print the closing summary as one JSON object on stdout')
    .option('--no-progress', 'no progress bar')
    .action(async (flags: PollFlags) => {
      exitCode = await pollCloudTrailCommand(flags, config);
    });
  program
    .command('refresh-keys')
    .description('read the key inventory from KMS (ListKeys, DescribeKey, GetKeyRotationStatus, ListAliases) and store it')
    .requiredOption('--region <region...>', 'KMS Regions to read (the standard AWS credential chain picks the account)')
    .option('--endpoint <url>', 'KMS endpoint (default KEYSCOPE_AWS_KMS_ENDPOINT, else the regional one)')
    .option('--db <path>', 'sqlite database file (default KEYSCOPE_SQLITE_PATH)')
    .action(async (flags: RefreshKeysFlags) => {
      exitCode = await refreshKeysCommand(flags, config);
    });
  await program.parseAsync(argv);
  return exitCode;
}
