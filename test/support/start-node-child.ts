import { startLocalNode } from '../../tools/elasticsearch/local-node';

// Started by a test that then SIGKILLs this process: prints the JVM's pid and waits.
// On CPU 0 only, so that the same test checks the benchmarks' CPU split (through taskset).
const node = await startLocalNode({ heap: '256m', cpus: '0' });
process.stdout.write(`${JSON.stringify({ pid: node.pid, url: node.url })}\n`);
setInterval(() => {}, 60_000);
