import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTraffic } from '@/lib/engine/traffic/generator';
import { planScenario } from '@/lib/engine/traffic/scenarios';
import { isNight } from '@/lib/engine/traffic/diurnal';
import { CloudTrailLogFileSchema } from '@/lib/model/cloudtrail-record';
import { KeyOperationSchema, type KeyOperation } from '@/lib/model/key-operation';
import { DekRecordSchema, type DekRecord } from '@/lib/model/dek-record';
import { normalizeCloudTrailRecord } from '@/lib/model/normalize-cloudtrail';
import { listFiles, readMaybeGzip, readNdjson, readTrail, smallRun } from '@/test/support/traffic-run';

const TRAIL_FILE = /^AWSLogs\/111122223333\/CloudTrail\/eu-west-1\/(\d{4})\/(\d{2})\/(\d{2})\/111122223333_CloudTrail_eu-west-1_(\d{8}T\d{4}Z)_[A-Za-z0-9]{16}\.json\.gz$/;

function contents(outDir: string): Map<string, string> {
  return new Map(listFiles(outDir).map((f) => [relative(outDir, f), readMaybeGzip(f).toString('utf8')]));
}

// Each case generates real traffic through the engine and the local KMS: seconds, not ms.
describe('traffic generator', { timeout: 120_000 }, () => {
  it('writes a CloudTrail tree a trail reader accepts, and valid operations and DEK records', async () => {
    const o = smallRun();
    const summary = await runTraffic(o);
    const files = listFiles(join(o.outDir, 'AWSLogs')).map((f) => relative(o.outDir, f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const m = TRAIL_FILE.exec(f);
      expect(m, f).not.toBeNull();
      // The folder date is the delivery date in the file name.
      expect(m![4]!.slice(0, 8)).toBe(`${m![1]}${m![2]}${m![3]}`);
      const doc = JSON.parse(readMaybeGzip(join(o.outDir, f)).toString('utf8'));
      expect(CloudTrailLogFileSchema.safeParse(doc).success).toBe(true);
    }
    const records = readTrail(o.outDir);
    expect(records).toHaveLength(summary.cloudTrail.records);
    for (const r of records) expect(normalizeCloudTrailRecord(r).ok).toBe(true);

    const ops = readNdjson<KeyOperation>(join(o.outDir, 'operations'));
    expect(ops).toHaveLength(summary.counters.operations);
    for (const op of ops) KeyOperationSchema.parse(op);
    const deks = readNdjson<DekRecord>(join(o.outDir, 'dek-records'));
    expect(deks).toHaveLength(summary.counters.objectsWritten);
    for (const d of deks) DekRecordSchema.parse(d);
    // Every object is written inside the window, by a simulated service, for a tenant.
    for (const d of deks) expect(Date.parse(d.encryptedAt)).toBeGreaterThanOrEqual(o.startMs);
    expect(new Set(ops.map((op) => op.service)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(deks.map((d) => d.tenant)).size).toBeGreaterThanOrEqual(5);
    // KMS Decrypts in the trail match the unwraps that missed the DEK cache.
    const kmsDecrypts = records.filter((r) => r.eventName === 'Decrypt').length;
    const unwrapMisses = ops.filter((op) => op.operation === 'unwrap' && op.cacheHit === false).length;
    expect(kmsDecrypts).toBe(unwrapMisses);
  });

  it('gives the same traffic for the same seed, and other traffic for another', async () => {
    const a = smallRun({ duration: '5m' });
    const b = smallRun({ duration: '5m' });
    const c = smallRun({ duration: '5m', seed: '12' });
    await runTraffic(a);
    await runTraffic(b);
    await runTraffic(c);
    const [ca, cb, cc] = [contents(a.outDir), contents(b.outDir), contents(c.outDir)];
    expect([...cb.keys()]).toEqual([...ca.keys()]);
    for (const [k, v] of ca) expect(cb.get(k), k).toBe(v);
    expect(readNdjson(join(c.outDir, 'operations'))).not.toEqual(readNdjson(join(a.outDir, 'operations')));
    expect(cc.size).toBeGreaterThan(0);
  });

  it('kms-outage fails unwraps and generations inside the outage window, not outside', async () => {
    const o = smallRun({ scenario: 'kms-outage', duration: '1h', rate: '2' });
    await runTraffic(o);
    const outage = planScenario({ ...o, scenario: 'kms-outage' }).phases.find((p) => p.label === 'kms-outage')!;
    const ops = readNdjson<KeyOperation>(join(o.outDir, 'operations'));
    const inside = ops.filter((op) => Date.parse(op.time) >= outage.fromMs && Date.parse(op.time) < outage.toMs && op.cacheHit === false);
    const outside = ops.filter((op) => (Date.parse(op.time) < outage.fromMs || Date.parse(op.time) >= outage.toMs + 60_000) && op.cacheHit === false);
    const failRate = (xs: KeyOperation[]) => xs.filter((op) => op.errorClass === 'kms_unavailable' || op.errorClass === 'timeout').length / xs.length;
    expect(failRate(inside)).toBeGreaterThan(0.4);
    expect(failRate(outside)).toBeLessThan(0.01);
    const trailErrors = readTrail(o.outDir).filter((r) => r.errorCode === 'KMSInternalException' || r.errorCode === 'DependencyTimeoutException');
    expect(trailErrors.length).toBeGreaterThan(0);
  });

  it('throttling answers many calls ThrottlingException in its window', async () => {
    const o = smallRun({ scenario: 'throttling', duration: '1h', rate: '2', dekPolicy: 'per-object' });
    await runTraffic(o);
    // Key-level operations only: a throttled generate_data_key also fails its object's encrypt.
    const keyLevel = new Set(['generate_data_key', 'unwrap', 'rewrap']);
    const throttled = readNdjson<KeyOperation>(join(o.outDir, 'operations')).filter((op) => op.errorClass === 'throttled' && keyLevel.has(op.operation));
    const trail = readTrail(o.outDir).filter((r) => r.errorCode === 'ThrottlingException');
    expect(throttled.length).toBeGreaterThan(20);
    expect(trail.length).toBe(throttled.length);
  });

  it('rotation rotates every KEK, then the rewrap job moves DEKs to the new version', async () => {
    const o = smallRun({ scenario: 'rotation', duration: '1h', rate: '2', rewrapRate: '20' });
    const summary = await runTraffic(o);
    const trail = readTrail(o.outDir);
    expect(trail.filter((r) => r.eventName === 'RotateKeyOnDemand')).toHaveLength(3);
    const rewraps = readNdjson<KeyOperation>(join(o.outDir, 'operations')).filter((op) => op.operation === 'rewrap' && op.outcome === 'success');
    expect(rewraps.length).toBe(summary.counters.rewrapped);
    expect(rewraps.length).toBeGreaterThan(100);
    const records = readNdjson<DekRecord>(join(o.outDir, 'dek-records'));
    const rewrapped = records.filter((r) => r.rotationStatus === 'rewrapped');
    const original = new Map(records.filter((r) => r.rotationStatus === 'current').map((r) => [r.objectId, r]));
    for (const r of rewrapped) {
      const before = original.get(r.objectId)!;
      expect(r.kekVersion).not.toBe(before.kekVersion);
      expect(r.dekId).toBe(before.dekId);
      expect(r.bytes).toBe(before.bytes);
      expect(Date.parse(r.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
    }
    expect(trail.filter((r) => r.eventName === 'ReEncrypt' && !r.errorCode).length).toBe(rewraps.length);
  });

  it('compromise: a new principal bulk-decrypts at night, labelled beside the trail and not in it', async () => {
    const o = smallRun({ scenario: 'compromise', duration: '6h', rate: '1', start: '2026-11-20T22:00:00Z' });
    const summary = await runTraffic(o);
    const labels = readNdjson<{ eventId: string; principalArn: string; sourceIp: string; eventTime: string }>(join(o.outDir, 'labels'));
    expect(labels.length).toBe(summary.labels);
    expect(labels.length).toBeGreaterThan(100);
    const trail = readTrail(o.outDir);
    const byId = new Map(trail.map((r) => [r.eventID as string, r]));
    const attacker = labels[0]!.principalArn;
    const attackerEvents = trail.filter((r) => (r.userIdentity as { arn?: string }).arn === attacker);
    expect(attackerEvents.map((r) => r.eventID).sort()).toEqual(labels.map((l) => l.eventId).sort());
    for (const l of labels) {
      const r = byId.get(l.eventId)!;
      expect(r.eventName).toBe('Decrypt');
      expect(r.sourceIPAddress).toBe(l.sourceIp);
      expect(isNight(Date.parse(l.eventTime))).toBe(true);
      expect(JSON.stringify(r)).not.toContain('compromise');
    }
    // The attacker's address and identity were never seen before the attack.
    const first = Math.min(...labels.map((l) => Date.parse(l.eventTime)));
    const before = trail.filter((r) => Date.parse(r.eventTime as string) < first);
    expect(before.some((r) => r.sourceIPAddress === labels[0]!.sourceIp || (r.userIdentity as { arn?: string }).arn === attacker)).toBe(false);
  });
});
