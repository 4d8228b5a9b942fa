import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimulatedClock } from '@/lib/engine/clock';
import { LocalKms } from '@/lib/engine/kek/local-kms/local-kms';
import { KeyMaterial } from '@/lib/engine/kek/local-kms/key-material';
import { SeededRandom } from '@/lib/engine/random';
import { runTraffic } from '@/lib/engine/traffic/generator';
import { createProgressLine } from '@/lib/engine/traffic/progress';
import { findSecrets as findLeaks } from '@/test/support/secret-scan';
import { listFiles, readMaybeGzip, smallRun } from '@/test/support/traffic-run';

function capture(): { stream: Writable; text: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({ write: (c, _e, cb) => (chunks.push(Buffer.from(c)), cb()) });
  return { stream, text: () => Buffer.concat(chunks) };
}

describe('no key material leaves the engine', { timeout: 120_000 }, () => {
  afterEach(() => vi.restoreAllMocks());

  it('finds no DEK or KEK bytes in any file a run writes, nor in its progress output', async () => {
    const keks: KeyMaterial[] = [];
    const deks: Buffer[] = [];
    const generate = KeyMaterial.generate.bind(KeyMaterial);
    vi.spyOn(KeyMaterial, 'generate').mockImplementation(() => {
      const m = generate();
      keks.push(m);
      return m;
    });
    // Copies taken as the KMS hands DEKs out: the engine zeroes its own after use.
    const generateDataKey = LocalKms.prototype.generateDataKey;
    vi.spyOn(LocalKms.prototype, 'generateDataKey').mockImplementation(async function (this: LocalKms, req) {
      const r = await generateDataKey.call(this, req);
      deks.push(Buffer.from(r.plaintext));
      return r;
    });
    const decrypt = LocalKms.prototype.decrypt;
    vi.spyOn(LocalKms.prototype, 'decrypt').mockImplementation(async function (this: LocalKms, req) {
      const r = await decrypt.call(this, req);
      deks.push(Buffer.from(r.plaintext));
      return r;
    });
    const o = smallRun({ scenario: 'rotation', duration: '20m', rate: '3', kmsState: join(mkdtempSync(join(tmpdir(), 'ks-')), 'kms.json') });
    const out = capture();
    await runTraffic(o, { progress: createProgressLine('rotation', out.stream), kmsRootKey: randomBytes(32) });

    expect(keks.length).toBeGreaterThanOrEqual(6); // three keys, each rotated once
    expect(deks.length).toBeGreaterThan(50);
    const files = new Map([...listFiles(o.outDir), o.kmsStatePath!].map((f) => [f, readMaybeGzip(f)]));
    files.set('progress output', out.text());
    expect(files.size).toBeGreaterThan(4);
    expect(findLeaks(files, [...keks.map((k) => Buffer.from(k.exposeBytes())), ...deks])).toEqual([]);
    // The scan does find a secret when one is there.
    files.set('planted', Buffer.concat([Buffer.from('x'), Buffer.from(deks[0]!.toString('base64'))]));
    // (The same DEK is handed out again on every cache miss, so it may match several copies.)
    const planted = findLeaks(files, deks);
    expect(planted).toContain('planted: secret #0');
    expect(planted.every((l) => l.startsWith('planted: '))).toBe(true);
  });

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
