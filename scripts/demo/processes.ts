import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/** Children of the demo: started with their output to a log file or the terminal, stopped together. */
export class ProcessGroup {
  private readonly children = new Set<ChildProcess>();
  private stopping = false;

  /** Starts a long-running child; `logFile` receives its output, else the terminal does. */
  start(name: string, cmd: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; logFile?: string; onExit?: (code: number | null) => void } = {}): ChildProcess {
    const stdio: SpawnOptions['stdio'] = opts.logFile ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'];
    const child = spawn(cmd, [...args], { env: opts.env ?? process.env, stdio });
    if (opts.logFile) {
      const log = createWriteStream(opts.logFile, { flags: 'a' });
      child.stdout?.pipe(log);
      child.stderr?.pipe(log);
    }
    this.children.add(child);
    child.on('exit', (code) => {
      this.children.delete(child);
      if (!this.stopping) opts.onExit?.(code);
    });
    child.on('error', (err) => process.stderr.write(`[demo] ${name} failed to start: ${err.message}\n`));
    return child;
  }

  /** Runs a child to completion with the terminal attached; rejects on a non-zero exit. */
  run(name: string, cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = this.start(name, cmd, args, { env });
      child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${name} exited with ${code ?? signal}`))));
    });
  }

  /** SIGTERM to every child, then SIGKILL to any still there after `graceMs`. */
  async stopAll(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    const waiting = [...this.children].map((c) => new Promise<void>((resolve) => (c.exitCode !== null ? resolve() : c.once('exit', () => resolve()))));
    for (const c of this.children) c.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const c of this.children) c.kill('SIGKILL');
    }, graceMs);
    await Promise.all(waiting);
    clearTimeout(timer);
  }
}
