/**
 * `npm run ingest` (tsx ingest/main.ts): the ingest service and its import command.
 * Everything is in ./cli and the modules beside it; this only maps outcomes to exit codes.
 */
import { ConfigError } from '../lib/config';
import { SloConfigError } from '../lib/detect/slo-config';
import { StoreError } from '../lib/store/types';
import { runCli } from './cli/program';
import { IngestError } from './errors';

/** Errors whose message says what to fix; anything else is a bug and shows its stack. */
const explained = (err: unknown): err is Error =>
  err instanceof IngestError || err instanceof ConfigError || err instanceof StoreError || err instanceof SloConfigError;

/** Exits once stdout has taken everything written to it (the --json summary may be piped). */
function exit(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

runCli(process.argv).then(exit, (err: unknown) => {
  const text = explained(err) ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`ingest: ${text}\n`);
  exit(1);
});
