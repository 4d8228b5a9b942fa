import { Command, InvalidArgumentError } from 'commander';
import { join } from 'node:path';
import { startLocalNode } from './local-node';

/**
 * `npm run dev:es`: a local Elasticsearch node in the foreground for development and
 * `npm run demo -- --store elasticsearch`. Its data stays under .keyscope/elasticsearch
 * between runs; Ctrl-C stops it.
 */
const program = new Command('dev:es')
  .description('Run a local single-node Elasticsearch (genuine server jars from Maven Central) on 127.0.0.1')
  .option('--port <n>', 'HTTP port', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('a port number 1-65535');
    return n;
  }, 9200)
  .option('--data <dir>', 'data directory (kept between runs)', join('.keyscope', 'elasticsearch'))
  .option('--heap <size>', 'JVM heap, e.g. 1g', '1g')
  .option('--verbose', "print the node's own log lines")
  .parse();

const opts = program.opts<{ port: number; data: string; heap: string; verbose?: boolean }>();
const log = (line: string): void => console.error(`[dev:es] ${line}`);
const node = await startLocalNode({
  httpPort: opts.port,
  homeDir: opts.data,
  heap: opts.heap,
  log,
  ...(opts.verbose === true ? { nodeOutput: (chunk: string) => process.stderr.write(chunk) } : {}),
}).catch((err: unknown) => {
  log(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
log('point keyscope at it with:');
console.log(`  KEYSCOPE_STORE=elasticsearch KEYSCOPE_ES_NODE=${node.url}`);
log('Ctrl-C stops the node');
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  void node.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
