import { describe, expect, it } from 'vitest';
import { LAG_BAD_MS, LAG_WARN_MS, lagStatus } from '../../lib/dashboard/lag-status';

describe('lagStatus', () => {
  it('grades a lag behind now by the warn and bad thresholds', () => {
    expect(lagStatus(0)).toEqual({ level: 'ok', text: '0 s' });
    expect(lagStatus(LAG_WARN_MS).level).toBe('ok');
    expect(lagStatus(LAG_WARN_MS + 1000)).toEqual({ level: 'warn', text: '5 min 1 s' });
    expect(lagStatus(LAG_BAD_MS + 60_000)).toEqual({ level: 'bad', text: '1 h 1 min' });
  });

  it('shows a negative lag of a second or more as a clock ahead, never as ok', () => {
    // Less is a record stamped just after the query began (live traffic), not a wrong clock.
    expect(lagStatus(-300)).toEqual({ level: 'ok', text: '0 s' });
    expect(lagStatus(-1000)).toEqual({ level: 'ahead', text: 'clock ahead 1 s' });
    expect(lagStatus(-90_000)).toEqual({ level: 'ahead', text: 'clock ahead 1 min 30 s' });
    expect(lagStatus(-3 * 86_400_000).level).toBe('ahead');
  });
});
