import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A forced young-generation GC, for between timed runs (outside the timing), so that no
 * case pays for the short-lived garbage another left; undefined if the VM refuses.
 *
 * Young generation only, on purpose: a full GC also clears the weak references that
 * optimized code holds to the objects it was specialized on, and V8 then throws that
 * code away ("marking dependent code for deoptimization, reason: weak objects", in
 * `--trace-deopt`). Every timed run after a full GC started in the interpreter and paid
 * for recompiling on a helper thread, the engine (more code) more than raw: at 64 KiB
 * its decrypt measured 15.2k ops/s that way against 18.7k without.
 */
export const minorGc: (() => void) | undefined = (() => {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (options: { type: 'minor' | 'major'; execution?: 'sync' }) => void;
    return () => gc({ type: 'minor', execution: 'sync' });
  } catch {
    return undefined;
  }
})();
