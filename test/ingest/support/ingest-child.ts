import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
