import { startLocalNode } from '../../tools/elasticsearch/local-node';

// Started by a test that then SIGKILLs this process: prints the JVM's pid and waits.
const node = await startLocalNode({ heap: '256m' });
process.stdout.write(`${JSON.stringify({ pid: node.pid, url: node.url })}\n`);
setInterval(() => {}, 60_000);
