import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../lib/engine/clock';
import { SeededRandom } from '../../../lib/engine/random';
import { buildKmsApiCallRecord, type KmsCloudTrailRecord } from '../../../lib/engine/audit/cloudtrail-record';
import { TRAIL_FILE_NAME_RE, parseTrailFileName } from '../../../lib/engine/audit/trail-path';
import { TrailWriter } from '../../../lib/engine/audit/trail-writer';
import { CloudTrailLogFileSchema } from '../../../lib/model/cloudtrail-record';
import { ACCT, REGION, T0, iamUser, makeKms } from '../local-kms/helpers';

const MIN = 60_000;
const PATH_RE = /^AWSLogs\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/([^/]+)$/;

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'keyscope-trail-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function listAllSync(dir = root): string[] {
  const out: string[] = [];
  for (const e of existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listAllSync(full));
    else out.push(path.relative(root, full).split(path.sep).join('/'));
  }
  return out;
}

let seq = 0;
function rec(account = ACCT, region = REGION): KmsCloudTrailRecord {
  seq++;
  const id = `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
  return buildKmsApiCallRecord({
    eventName: 'Decrypt',
    eventTimeMs: T0,
    region,
    recipientAccountId: account,
    caller: iamUser('u', account),
    requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
    responseElements: null,
    resourceArns: [],
    requestId: id,
    eventId: id,
  });
}

async function readTrail(rel: string): Promise<{ Records: KmsCloudTrailRecord[] }> {
  return JSON.parse(gunzipSync(await readFile(path.join(root, rel))).toString('utf8'));
}

/** Every file under root, relative, posix separators. */
async function listAll(dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listAll(full)));
    else out.push(path.relative(root, full).split(path.sep).join('/'));
  }
  return out;
}

describe('TrailWriter', () => {
  it('delivers gzip {"Records":[...]} files at CloudTrail paths named for the delivery time', async () => {
    const clock = new SimulatedClock(T0 + 7 * MIN + 30_000);
    const w = new TrailWriter({ root, clock, random: new SeededRandom(3) });
    const records = [rec(), rec(), rec()];
    for (const r of records) await w.append(r);
    await w.flush();
    const files = await listAll();
    expect(files).toHaveLength(1);
    const m = PATH_RE.exec(files[0]!)!;
    expect(m.slice(1, 6)).toEqual([ACCT, REGION, '2025', '05', '20']);
    expect(m[6]).toMatch(TRAIL_FILE_NAME_RE);
    expect(m[6]).toMatch(/^111122223333_CloudTrail_us-west-2_20250520T2007Z_[A-Za-z0-9]{16}\.json\.gz$/);
    expect(parseTrailFileName(m[6]!)).toEqual({ accountId: ACCT, region: REGION, deliveredAtMs: T0 + 7 * MIN });
    const body = await readTrail(files[0]!);
    expect(CloudTrailLogFileSchema.safeParse(body).success).toBe(true);
    expect(body.Records).toEqual(records);
  });

  it('flushes every N records', async () => {
    const w = new TrailWriter({ root, clock: new SimulatedClock(T0), maxRecordsPerFile: 10 });
    for (let i = 0; i < 25; i++) await w.append(rec());
    expect(w.stats.buffered).toBe(5);
    await w.idle();
    expect(w.stats.filesWritten).toBe(2);
    await w.flush();
    const counts = await Promise.all((await listAll()).map(async (f) => (await readTrail(f)).Records.length));
    expect(counts.sort((a, b) => a - b)).toEqual([5, 10, 10]);
  });

  it('flushes a buffer once flushIntervalMs of clock time passed since its first record', async () => {
    const clock = new SimulatedClock(T0);
    const w = new TrailWriter({ root, clock, flushIntervalMs: 5 * MIN });
    await w.append(rec());
    clock.advance(4 * MIN);
    await w.append(rec());
    expect(w.stats.buffered).toBe(2);
    clock.advance(MIN);
    const late = rec();
    await w.append(late); // the aged buffer leaves first; this record starts the next one
    expect(w.stats.buffered).toBe(1);
    await w.idle();
    expect(w.stats.filesWritten).toBe(1);
    const [first] = w.files;
    expect(first!.path).toContain('_20250520T2005Z_');
    expect((await readTrail(first!.path)).Records).toHaveLength(2);
    await w.close();
    await expect(w.append(rec())).rejects.toThrow(/closed/);
    expect(w.stats).toEqual({ buffered: 0, filesWritten: 2, recordsWritten: 3 });
  });

  it('with the timer option, a quiet buffer is delivered without further appends', async () => {
    const clock = new SimulatedClock(T0);
    let checks = 0;
    let onCheck = () => {};
    const checked = (n: number) => new Promise<void>((resolve) => {
      const target = checks + n;
      onCheck = () => { if (checks >= target) resolve(); };
    });
    const w = new TrailWriter({ root, clock, flushIntervalMs: MIN, timer: true, timerPeriodMs: 5, onTimerCheck: () => { checks++; onCheck(); } });
    await w.append(rec());
    await checked(3);
    expect(w.stats).toMatchObject({ buffered: 1, filesWritten: 0 });
    clock.advance(MIN);
    await checked(1);
    // The timer started the delivery; close only waits for the file to be in place.
    expect(w.stats.buffered).toBe(0);
    await w.close();
    expect(w.stats).toMatchObject({ filesWritten: 1, recordsWritten: 1 });
  });

  it('keeps accounts and regions in separate files', async () => {
    const w = new TrailWriter({ root, clock: new SimulatedClock(T0) });
    await w.append(rec(ACCT, 'us-west-2'));
    await w.append(rec(ACCT, 'eu-west-1'));
    await w.append(rec('999988887777', 'us-west-2'));
    await w.close();
    const dirs = (await listAll()).map((f) => f.split('/').slice(1, 4).join('/')).sort();
    expect(dirs).toEqual([`${ACCT}/CloudTrail/eu-west-1`, `${ACCT}/CloudTrail/us-west-2`, '999988887777/CloudTrail/us-west-2']);
  });

  it('a reader polling the tree never sees a partial file, and no temporary file stays behind', async () => {
    const w = new TrailWriter({ root, clock: new SimulatedClock(T0), maxRecordsPerFile: 50, maxInFlightFiles: 8 });
    // Polls synchronously on every event-loop turn, so it runs between the writer's open, write, sync and close.
    const problems: unknown[] = [];
    let done = false;
    let reads = 0;
    const poll = () => {
      try {
        for (const f of listAllSync().filter((x) => x.endsWith('.json.gz'))) {
          JSON.parse(gunzipSync(readFileSync(path.join(root, f))).toString('utf8'));
          reads++;
        }
      } catch (err) {
        problems.push(err);
      }
      if (!done) setImmediate(poll);
    };
    setImmediate(poll);
    for (let i = 0; i < 2000; i++) await w.append(rec());
    await w.close();
    done = true;
    expect(problems).toEqual([]);
    expect(reads).toBeGreaterThan(0);
    const files = await listAll();
    expect(files.every((f) => TRAIL_FILE_NAME_RE.test(path.posix.basename(f)))).toBe(true);
    expect(files).toHaveLength(40);
  });

  it('delivers the local KMS trail: every call of a session, in files that validate', async () => {
    const clock = new SimulatedClock(T0);
    const w = new TrailWriter({ root, clock, maxRecordsPerFile: 4 });
    const { kms } = makeKms({ clock, audit: (r) => w.append(r) });
    const key = await kms.createKey();
    for (let i = 0; i < 5; i++) {
      const dk = await kms.generateDataKey({ keyId: key.KeyId, encryptionContext: { i: String(i) } });
      await expect(kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: {} })).rejects.toMatchObject({ code: 'InvalidCiphertextException' });
    }
    await w.close();
    const all = (await Promise.all((await listAll()).map(readTrail))).flatMap((b) => {
      expect(CloudTrailLogFileSchema.safeParse(b).success).toBe(true);
      return b.Records;
    });
    expect(all).toHaveLength(11);
    expect(all.filter((r) => r.errorCode === 'InvalidCiphertextException')).toHaveLength(5);
  });
});
