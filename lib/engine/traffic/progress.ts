import cliProgress from 'cli-progress';
import { formatDuration } from './duration';

export interface TrafficCounters {
  objectsWritten: number;
  objectsRead: number;
  rewrapped: number;
  attackerDecrypts: number;
  operations: number;
  kmsCalls: number;
  failures: number;
}

export interface ProgressReporter {
  start(totalMs: number): void;
  /** `simulatedMs` is how far into the run window the generator is. */
  update(simulatedMs: number, nowIso: string, phase: string, counters: TrafficCounters): void;
  stop(): void;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * One progress line on stderr: how far through the window, the simulated time and phase,
 * and what has been generated. On a terminal it redraws; elsewhere (CI, files) it prints a
 * line every few seconds.
 */
export function createProgressLine(scenario: string, stream: NodeJS.WritableStream = process.stderr): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${scenario} |{bar}| {percentage}% {done}/{window} | {now} {phase} | objects {objects} reads {reads} rewraps {rewraps} | ops {ops} kms {kms} failures {failures}`,
      barsize: 20,
      hideCursor: null,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let total = 0;
  return {
    start(totalMs) {
      total = totalMs;
      bar.start(totalMs, 0, { done: '0s', window: formatDuration(totalMs), now: '', phase: '', objects: 0, reads: 0, rewraps: 0, ops: 0, kms: 0, failures: 0 });
    },
    update(simulatedMs, nowIso, phase, c) {
      bar.update(Math.min(total, simulatedMs), {
        done: formatDuration(simulatedMs),
        window: formatDuration(total),
        now: nowIso.slice(0, 19) + 'Z',
        phase,
        objects: fmt(c.objectsWritten),
        reads: fmt(c.objectsRead),
        rewraps: fmt(c.rewrapped),
        ops: fmt(c.operations),
        kms: fmt(c.kmsCalls),
        failures: fmt(c.failures),
      });
    },
    stop() {
      bar.stop();
    },
  };
}

export const silentProgress: ProgressReporter = { start() {}, update() {}, stop() {} };
