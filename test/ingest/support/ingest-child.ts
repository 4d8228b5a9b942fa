import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RecordKind } from '../../../lib/store/types';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** `node --import tsx ingest/main.ts ...args`, as `npm run ingest` runs it, from the repo root. */
export function spawnIngest(args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'ingest/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, KEYSCOPE_LOG_LEVEL: 'warn', ...env },
    stdio: 'pipe',
  });
}

export type ChildResult = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

export function collect(child: ChildProcessWithoutNullStreams): Promise<ChildResult> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

export function runIngest(args: string[], env: Record<string, string> = {}): Promise<ChildResult> {
  return collect(spawnIngest(args, env));
}

/**
 * Test failpoint (ingest/pipeline/failpoint.ts): the child signals itself right after its
 * Nth acknowledged store write, counting only the writes that carry `kind` when given.
 * A crash (SIGKILL) or stop (SIGTERM) at an exact point, instead of racing the child.
 */
export function killAfterWrites(writes: number, o: { kind?: RecordKind; signal?: 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' } = {}): Record<string, string> {
  return {
    KEYSCOPE_FAILPOINT_KILL_AFTER_WRITES: String(writes),
    ...(o.kind !== undefined ? { KEYSCOPE_FAILPOINT_KILL_ON: o.kind } : {}),
    ...(o.signal !== undefined ? { KEYSCOPE_FAILPOINT_KILL_SIGNAL: o.signal } : {}),
  };
}

export type LogLine = { msg: string; [k: string]: unknown };

export type LogLines = {
  /** Every line so far (a line that is not JSON is kept as `{ msg: '', raw }`). */
  readonly lines: LogLine[];
  /**
   * The first line, already read or still to come, for which `match` is true (each line is
   * offered once, in order, so a counting predicate works). Resolves on the data event
   * that completes it; rejects when the child's stdout closes first.
   */
  until(match: (line: LogLine) => boolean): Promise<LogLine>;
};

/** The child's stdout as JSON log lines (pino; `serve` logs there), to wait on a line instead of sleeping. */
export function logLines(child: ChildProcessWithoutNullStreams): LogLines {
  const lines: LogLine[] = [];
  let waiters: Array<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void; reject: (err: Error) => void }> = [];
  let closed = false;
  let buffer = '';
  const parse = (text: string): LogLine => {
    try {
      return JSON.parse(text) as LogLine;
    } catch {
      return { msg: '', raw: text };
    }
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const text of parts) {
      if (text.trim() === '') continue;
      const line = parse(text);
      lines.push(line);
      waiters = waiters.filter((w) => (w.match(line) ? (w.resolve(line), false) : true));
    }
  });
  child.stdout.on('close', () => {
    closed = true;
    for (const w of waiters) w.reject(new Error(`the child's stdout closed before the line waited for; it logged:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`));
    waiters = [];
  });
  return {
    lines,
    until(match) {
      const seen = lines.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      if (closed) return Promise.reject(new Error("the child's stdout closed before the line waited for"));
      return new Promise((resolve, reject) => waiters.push({ match, resolve, reject }));
    },
  };
}
