import { describe, expect, it } from 'vitest';
import { splitCores } from '../../bench/lib/core-split';

describe('splitCores', () => {
  it('gives the node the upper half and the benchmark the lower half', () => {
    expect(splitCores(2)).toEqual({ self: '0', node: '1' });
    expect(splitCores(4)).toEqual({ self: '0-1', node: '2-3' });
    // An odd count leaves the extra CPU to the node, which does the indexing.
    expect(splitCores(3)).toEqual({ self: '0', node: '1-2' });
  });

  it('does not split a single CPU', () => {
    expect(splitCores(1)).toBeNull();
  });
});
