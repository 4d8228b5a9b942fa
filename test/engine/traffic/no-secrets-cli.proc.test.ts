import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimulatedClock } from '@/lib/engine/clock';
import { LocalKms } from '@/lib/engine/kek/local-kms/local-kms';
import { KeyMaterial } from '@/lib/engine/kek/local-kms/key-material';
import { SeededRandom } from '@/lib/engine/random';
import { findSecrets as findLeaks } from '@/test/support/secret-scan';
import { listFiles, readMaybeGzip, smallRun } from '@/test/support/traffic-run';

describe('no key material leaves the traffic CLI', { timeout: 120_000 }, () => {
  afterEach(() => vi.restoreAllMocks());

  it('the CLI prints no KEK bytes on stdout or stderr and keeps them only encrypted in its key file', async () => {
    const o = smallRun({ duration: '10m' });
    const rootKey = randomBytes(32);
    const statePath = join(o.outDir, 'state', 'kms.json');
    const res = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/traffic.ts', '--duration', '10m', '--rate', '3', '--seed', '4', '--start', '2026-11-20T14:00:00Z', '--out', o.outDir, '--kms-state', statePath],
      { env: { ...process.env, KEYSCOPE_KMS_ROOT_KEY: rootKey.toString('base64') }, encoding: 'buffer' },
    );
    expect(res.status, res.stderr.toString()).toBe(0);
    expect(res.stdout.toString()).toMatch(/objects written \d+/);
    // Recover the KEKs the CLI persisted by loading its key file with the root key.
    const keks: Buffer[] = [];
    const fromBytes = KeyMaterial.fromBytes.bind(KeyMaterial);
    vi.spyOn(KeyMaterial, 'fromBytes').mockImplementation((b: Buffer) => {
      keks.push(Buffer.from(b));
      return fromBytes(b);
    });
    await LocalKms.load(statePath, rootKey, { clock: new SimulatedClock(0), random: new SeededRandom(1) });
    expect(keks).toHaveLength(3);
    const outputs = new Map<string, Buffer>([
      ['stdout', res.stdout],
      ['stderr', res.stderr],
      ...listFiles(o.outDir).map((f) => [f, readMaybeGzip(f)] as [string, Buffer]),
    ]);
    expect(findLeaks(outputs, [...keks, rootKey])).toEqual([]);
  });
});
