import type { FailureBreakdownResult } from '../../questions/failure-breakdown/definition';
import { shortKek } from '../format';

export type FailureBar = {
  key: string;
  /** What the axis shows: KEK ARNs shortened to the key id; the full key is in the tooltip. */
  label: string;
  count: number;
  share: number;
  /** The folded remainder: drawn apart so truncation is visible. */
  isOther: boolean;
};

export type FailureBars = { bars: FailureBar[]; total: number; empty: boolean; truncated: { groups: number; count: number } | null };

export function prepareFailureBars(result: FailureBreakdownResult): FailureBars {
  const bars: FailureBar[] = result.rows.map((r) => ({
    key: r.key,
    label: result.by === 'kekId' ? shortKek(r.key) : r.key,
    count: r.count,
    share: r.share,
    isOther: false,
  }));
  if (result.other !== null) {
    const { count, groups, share } = result.other;
    bars.push({ key: '(other)', label: `other (${groups} more)`, count, share, isOther: true });
  }
  return {
    bars,
    total: result.total,
    empty: result.total === 0,
    truncated: result.other === null ? null : { groups: result.other.groups, count: result.other.count },
  };
}
