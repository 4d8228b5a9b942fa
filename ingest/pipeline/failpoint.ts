import type { KillAfterWritesFailpoint } from '../../lib/config';
import type { WriteResult } from '../../lib/store/types';

/** True when the write stored, replaced or skipped at least one record of `kind`. */
function carries(result: WriteResult, kind: NonNullable<KillAfterWritesFailpoint['kind']>): boolean {
  const c = result[kind];
  return c.inserted + c.updated + c.duplicates > 0;
}

/**
 * A test failpoint (as etcd's gofail or TiKV's fail-rs), for the crash tests; never set in
 * production. With KEYSCOPE_FAILPOINT_KILL_AFTER_WRITES=N the returned Pipeline `onWrite`
 * hook signals this process right after the Nth store write acknowledged (counting only
 * the writes that carry KEYSCOPE_FAILPOINT_KILL_ON's record kind, when set), once.
 *
 * SIGKILL sent to oneself is delivered before kill(2) returns: the process dies with that
 * write committed and nothing after it, not even the write's submitters hearing of the
 * commit. That is a crash at an exact point between two commits, which a test SIGKILLing
 * the process from outside when it sees rows can only approximate (and races: the process
 * may finish first). SIGTERM takes the process's own clean-stop path at that point; SIGSTOP
pauses it there (after a line on stderr) until the test sends SIGCONT.
 *
 * One counter for every pipeline the hook is given to (the process's writes, in order);
 * undefined when the failpoint is off.
 */
export function killAfterWrites(
  failpoint: KillAfterWritesFailpoint | null,
  kill: (signal: KillAfterWritesFailpoint['signal']) => void = (signal) => process.kill(process.pid, signal),
): ((result: WriteResult) => void) | undefined {
  if (failpoint === null) return undefined;
  let writes = 0;
  return (result) => {
    if (failpoint.kind !== null && !carries(result, failpoint.kind)) return;
    writes += 1;
    // Once: a second SIGTERM would be "exit now" to the commands' signal handlers.
    if (writes !== failpoint.writes) return;
    // A stopped process cannot say it stopped: the line (synchronous on a pipe) is the test's signal to act, then SIGCONT.
    if (failpoint.signal === 'SIGSTOP') process.stderr.write(`failpoint: SIGSTOP after ${writes} writes\n`);
    kill(failpoint.signal);
  };
}
