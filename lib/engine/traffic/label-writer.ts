import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';

/** Ground truth for an attack scenario: which audit events the attacker caused. */
export interface AttackLabel {
  eventId: string;
  eventTime: string;
  eventName: string;
  label: string;
  scenario: string;
  principalArn: string | null;
  sourceIp: string | null;
}

/**
 * Writes labels to `<out>/labels/<scenario>-seed<seed>.ndjson`, beside the trail rather
 * than in it, so that detectors scored against them cannot read them.
 */
export class LabelWriter {
  private stream: WriteStream | null = null;
  count = 0;

  constructor(private readonly file: string) {}

  static forRun(outDir: string, scenario: string, seed: number): LabelWriter {
    return new LabelWriter(join(outDir, 'labels', `${scenario}-seed${seed}.ndjson`));
  }

  async write(label: AttackLabel): Promise<void> {
    if (!this.stream) {
      mkdirSync(join(this.file, '..'), { recursive: true });
      this.stream = createWriteStream(this.file, { flags: 'a' });
    }
    this.count += 1;
    if (!this.stream.write(JSON.stringify(label) + '\n')) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (!this.stream) return;
    const s = this.stream;
    this.stream = null;
    await new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}
