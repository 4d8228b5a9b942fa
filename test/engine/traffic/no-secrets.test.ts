import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalKms } from '@/lib/engine/kek/local-kms/local-kms';
import { KeyMaterial } from '@/lib/engine/kek/local-kms/key-material';
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
});
