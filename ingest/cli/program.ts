import { Command } from 'commander';
import { loadConfig } from '../../lib/config';
import { importCommand, type ImportFlags } from './import-command';
import { serveCommand, type ServeFlags } from './serve-command';

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
    .description('run the service: intake on KEYSCOPE_INTAKE_HOST:KEYSCOPE_INTAKE_PORT, the CloudTrail watcher, the alert scheduler')
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
    .action(async (path: string, flags: ImportFlags) => {
      exitCode = await importCommand(path, flags, config);
    });
  await program.parseAsync(argv);
  return exitCode;
}
