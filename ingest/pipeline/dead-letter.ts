import { createHash } from 'node:crypto';
import type { DeadLetter } from '../../lib/model/dead-letter';

/** Limits of DeadLetterSchema (lib/model/dead-letter.ts). */
const MAX_LOCATION = 4096;
const MAX_REASON = 4096;
const MAX_PAYLOAD = 65536;

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 14)}…[truncated]`;
}

export type DeadLetterInput = {
  source: string;
  location: string;
  reason: string;
  payload: string;
  /**
   * What makes this input the same input when it is read again (file path and index, or
   * the line's bytes): the id is a hash of it, so a re-read after a crash or a resent
   * request stores its dead letter once.
   */
  identity: string;
  receivedAt: Date;
};

export function makeDeadLetter(d: DeadLetterInput): DeadLetter {
  const id = createHash('sha256').update(d.source).update('\0').update(d.identity).digest('hex');
  return {
    id,
    receivedAt: d.receivedAt.toISOString(),
    source: d.source,
    location: clip(d.location, MAX_LOCATION),
    reason: clip(d.reason || 'unknown reason', MAX_REASON),
    payload: clip(d.payload, MAX_PAYLOAD),
  };
}
