import { describe, expect, it } from 'vitest';
import { killAfterWrites } from '../../ingest/pipeline/failpoint';
import { ConfigError, loadConfig } from '../../lib/config';
import type { WriteResult } from '../../lib/store/types';

const zero = () => ({ inserted: 0, updated: 0, duplicates: 0 });
const write = (kind?: 'auditEvents' | 'keyOperations'): WriteResult => ({
  auditEvents: zero(), keyOperations: zero(), dekRecords: zero(), deadLetters: zero(), keyStates: zero(), alerts: zero(), checkpoints: 0,
  ...(kind ? { [kind]: { inserted: 1, updated: 0, duplicates: 0 } } : {}),
});

describe('the kill-after-writes failpoint', () => {
  it('is off unless configured', () => {
    expect(loadConfig({}).failpoints.killAfterWrites).toBeNull();
    expect(killAfterWrites(null)).toBeUndefined();
  });

  it('signals once, right after the Nth write that carries its kind', () => {
    const signals: string[] = [];
    const hook = killAfterWrites({ writes: 2, kind: 'keyOperations', signal: 'SIGTERM' }, (s) => signals.push(s))!;
    hook(write('auditEvents'));
    hook(write('keyOperations'));
    expect(signals).toEqual([]);
    hook(write('keyOperations'));
    expect(signals).toEqual(['SIGTERM']);
    hook(write('keyOperations'));
    expect(signals).toEqual(['SIGTERM']);
  });

  it('is configured from the environment, and refuses half a configuration', () => {
    expect(loadConfig({ KEYSCOPE_FAILPOINT_KILL_AFTER_WRITES: '3' }).failpoints.killAfterWrites).toEqual({ writes: 3, kind: null, signal: 'SIGKILL' });
    expect(() => loadConfig({ KEYSCOPE_FAILPOINT_KILL_ON: 'auditEvents' })).toThrow(ConfigError);
  });
});
