/**
 * One engine API and its baseline, alone in a fresh process (`bench:engine`'s isolated
 * method): rounds of one timed run each, the order alternating, a forced young-generation
 * GC before every run (../lib/gc.ts), one discarded round first. Prints both cases'
 * rates, round by round, as JSON.
 *
 *   tsx bench/engine/pair-process.ts <engine case> <baseline case> <bytes> <policy> <rounds> <budgetMs>
 *
 * Why a process per pair: at 64 KiB and up half of a call's cost is memory management
 * (the cipher's output buffer: malloc, zero-fill, page faults, the GCs its external
 * memory triggers), which depends on the heap and allocator state the process is in.
 * Cases sharing a process with others pay for what those left behind; the same case
 * in two fresh processes differs by up to ±10% (where its buffers landed). Side by side
 * in one fresh process, an engine API and its baseline meet the same state, and their
 * ratio is stable where their rates are not.
 */
import { minorGc } from '../lib/gc';
import { compareRounds } from '../lib/measure';
import { benchKms, buildCases, CASE_NAMES, type CaseName } from './cases';

async function main(): Promise<void> {
  const [engineCase, baselineCase, sizeArg, policy, roundsArg, budgetArg] = process.argv.slice(2);
  const isCase = (x: string | undefined): x is CaseName => CASE_NAMES.includes(x as CaseName);
  if (!isCase(engineCase) || !isCase(baselineCase) || (policy !== 'cached' && policy !== 'per-object')) {
    throw new Error(`usage: pair-process <case> <case> <bytes> <cached|per-object> <rounds> <budgetMs>; cases: ${CASE_NAMES.join(', ')}`);
  }
  const size = Number(sizeArg);
  const { kms, keyArn } = await benchKms();
  const { cases, dispose } = await buildCases(kms, keyArn, size, policy);
  const res = await compareRounds(
    { [engineCase]: cases[engineCase], [baselineCase]: cases[baselineCase] },
    size,
    { rounds: Number(roundsArg), budgetMs: Number(budgetArg), beforeEach: minorGc, discardFirstRound: true },
  );
  dispose();
  process.stdout.write(`${JSON.stringify({ engine: res.rounds[engineCase], baseline: res.rounds[baselineCase] })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`pair-process: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
