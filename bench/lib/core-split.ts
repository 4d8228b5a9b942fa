import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

/**
 * How a benchmark shares the machine with the Elasticsearch node it starts: the node on
 * the upper half of the CPUs, the benchmark's own process (the load generator, and the
 * keyscope code under test) on the lower half. Elasticsearch's Rally runs its load driver
 * on other machines than the cluster for the same reason: on shared cores every CPU second
 * the client spends is one the node does not get, and the figure measures the machine's
 * CPU budget rather than either side. In production the node has its own hosts.
 */
export type CoreSplit = { node: string; self: string };

/** The split for this machine; null with fewer than 2 CPUs (nothing to split). */
export function splitCores(count = cpus().length): CoreSplit | null {
  if (count < 2) return null;
  const half = Math.floor(count / 2);
  const range = (from: number, to: number) => (from === to ? String(from) : `${from}-${to}`);
  return { self: range(0, half - 1), node: range(half, count - 1) };
}

/** Pins every thread of a process (threads it starts later inherit it) to a taskset CPU list. */
export function pinProcess(pid: number, cpuList: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpuList, String(pid)], { stdio: 'ignore' });
}
