import { describe, expect, it } from 'vitest';
import { T0, codeOf, makeKms } from './helpers';

async function keyAndBlob() {
  const env = makeKms();
  const { KeyId } = await env.kms.createKey();
  const dk = await env.kms.generateDataKey({ keyId: KeyId, encryptionContext: {} });
  return { ...env, keyId: KeyId, blob: dk.ciphertextBlob };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

describe('LocalKms injected faults', () => {
  it('latency: floor plus a log-normal with the configured median and sigma, on the simulated clock', async () => {
    const { kms, clock, blob } = await keyAndBlob();
    kms.setFaults({ latency: { floorMs: 20, medianMs: 50, sigma: 0.5 } });
    const extra: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const start = clock.now();
      await kms.decrypt({ ciphertextBlob: blob, encryptionContext: {} });
      extra.push(clock.now() - start - 20);
    }
    expect(Math.min(...extra)).toBeGreaterThan(0);
    expect(median(extra)).toBeGreaterThan(50 * 0.93);
    expect(median(extra)).toBeLessThan(50 * 1.07);
    const logs = extra.map((x) => Math.log(x / 50));
    const sd = Math.sqrt(logs.reduce((s, x) => s + x * x, 0) / logs.length);
    expect(sd).toBeGreaterThan(0.45);
    expect(sd).toBeLessThan(0.55);
    kms.clearFaults();
    const start = clock.now();
    await kms.decrypt({ ciphertextBlob: blob, encryptionContext: {} });
    expect(clock.now()).toBe(start);
  });

  it('throttling by probability: the throttled share is near the setting, and each is a ThrottlingException record', async () => {
    const { kms, blob, records } = await keyAndBlob();
    kms.setFaults({ throttle: { probability: 0.2 } });
    const n = 4000;
    let throttled = 0;
    for (let i = 0; i < n; i++) if ((await codeOf(kms.decrypt({ ciphertextBlob: blob, encryptionContext: {} })).catch(() => 'ok')) === 'ThrottlingException') throttled++;
    // 4 standard deviations of a binomial(4000, 0.2) share is about 0.025.
    expect(Math.abs(throttled / n - 0.2)).toBeLessThan(0.025);
    const failures = records.filter((r) => r.errorCode === 'ThrottlingException');
    expect(failures).toHaveLength(throttled);
    expect(failures[0]!.errorMessage).toBe('Rate exceeded');
  });

  it('throttling by token bucket: above the rate only about rate x time (+ burst) get through', async () => {
    const { kms, clock, blob } = await keyAndBlob();
    kms.setFaults({ throttle: { ratePerSec: 100 } });
    let ok = 0;
    for (let i = 0; i < 4000; i++) {
      clock.advance(2.5); // 400 requests/s for 10 s
      try {
        await kms.decrypt({ ciphertextBlob: blob, encryptionContext: {} });
        ok++;
      } catch {
        /* throttled */
      }
    }
    expect(ok).toBeGreaterThanOrEqual(1000);
    expect(ok).toBeLessThanOrEqual(1101);
    // Below the rate nothing is throttled.
    let failed = 0;
    for (let i = 0; i < 500; i++) {
      clock.advance(20); // 50 requests/s
      await kms.decrypt({ ciphertextBlob: blob, encryptionContext: {} }).catch(() => failed++);
    }
    expect(failed).toBe(0);
  });

  it('outage window: KMSInternalException exactly within [from, to) of clock time', async () => {
    const { kms, clock, blob, keyId } = await keyAndBlob();
    kms.addFaultWindow({ fromMs: T0 + 1000, toMs: T0 + 2000, faults: { outage: { mode: 'internal' } } });
    const at = async (t: number) => {
      clock.set(t);
      return codeOf(kms.decrypt({ ciphertextBlob: blob, encryptionContext: {} })).catch(() => 'ok');
    };
    expect(await at(T0 + 999)).toBe('ok');
    expect(await at(T0 + 1000)).toBe('KMSInternalException');
    expect(await at(T0 + 1999)).toBe('KMSInternalException');
    expect(await codeOf(kms.generateDataKey({ keyId, encryptionContext: {} }))).toBe('KMSInternalException');
    expect(await at(T0 + 2000)).toBe('ok');
  });

  it('timeout outage: the call waits the timeout on the clock, then DependencyTimeoutException', async () => {
    const { kms, clock, blob } = await keyAndBlob();
    kms.setFaults({ outage: { mode: 'timeout', timeoutMs: 3000 } });
    const start = clock.now();
    expect(await codeOf(kms.decrypt({ ciphertextBlob: blob, encryptionContext: {} }))).toBe('DependencyTimeoutException');
    expect(clock.now() - start).toBe(3000);
  });

  it('faults can be limited to some operations, and partial outages fail about the given share', async () => {
    const { kms, blob, keyId } = await keyAndBlob();
    kms.setFaults({ outage: { mode: 'internal', probability: 0.5 }, operations: ['Decrypt'] });
    await kms.generateDataKey({ keyId, encryptionContext: {} });
    let failed = 0;
    for (let i = 0; i < 1000; i++) await kms.decrypt({ ciphertextBlob: blob, encryptionContext: {} }).catch(() => failed++);
    expect(failed).toBeGreaterThan(430);
    expect(failed).toBeLessThan(570);
  });
});
