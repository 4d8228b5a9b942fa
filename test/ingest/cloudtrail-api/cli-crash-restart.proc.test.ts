import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readCheckpoint, type ApiCheckpoint } from '../../../ingest/sources/cloudtrail-api/checkpoint';
import { CloudTrailWireServer } from '../../support/cloudtrail-wire-server';
import { tempDbPath } from '../../support/temp-store';
import { countRows, deadLetters, query } from '../support/db';
import { killAfterWrites, runIngest } from '../support/ingest-child';
import { kmsEvents, principals, PROFILES } from './support/harness';

// The real CLI in a child process, the real credential chain (a shared credentials file,
// no environment keys, no instance metadata), the server's real 2 requests/s limit.
let awsDir: string;
let server: CloudTrailWireServer;
let db: ReturnType<typeof tempDbPath>;
const EVENTS = 300;
/** LookupEvents pages hold 50 events: about 3 s of polling at 2 requests/s. */
const PAGES = EVENTS / 50;

beforeAll(() => {
  awsDir = mkdtempSync(join(tmpdir(), 'keyscope-aws-'));
  const p = PROFILES.prod!;
  writeFileSync(join(awsDir, 'credentials'), `[prod]\naws_access_key_id = ${p.accessKeyId}\naws_secret_access_key = ${p.secretAccessKey}\n`);
  writeFileSync(join(awsDir, 'config'), '');
});
afterAll(() => rmSync(awsDir, { recursive: true, force: true }));
beforeEach(async () => {
  server = await CloudTrailWireServer.start({ principals: principals(), maxPerSecond: 2 });
  server.publish(kmsEvents(EVENTS, { newest: Date.now() - 120_000, stepMs: 2000 }));
  db = tempDbPath();
});
afterEach(async () => {
  await server.close();
  db.cleanup();
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    KEYSCOPE_CLOUDTRAIL_API_TARGETS: 'prod:eu-west-1',
    KEYSCOPE_CLOUDTRAIL_API_ENDPOINT: server.url,
    // One store write per page (a page fills a batch), so the failpoint counts pages.
    KEYSCOPE_INGEST_BATCH_RECORDS: '50',
    KEYSCOPE_INGEST_BATCH_MAX_AGE_MS: '20',
    AWS_SHARED_CREDENTIALS_FILE: join(awsDir, 'credentials'),
    AWS_CONFIG_FILE: join(awsDir, 'config'),
    AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '', AWS_PROFILE: '', AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

const POLL = ['poll-cloudtrail', '--backfill-days', '0.05', '--json', '--no-progress'];

function checkpoint(): ApiCheckpoint | null {
  try {
    const [row] = query<{ value: string }>(db.path, `SELECT value FROM checkpoints WHERE source = 'cloudtrail-api' AND key = 'prod/eu-west-1'`);
    return row ? readCheckpoint(JSON.parse(row.value) as never) : null;
  } catch {
    return null; // not created yet
  }
}

/** The child signals itself right after its nth store write of audit events: one page each (ingest/pipeline/failpoint.ts). */
const afterPages = (n: number, signal: 'SIGKILL' | 'SIGTERM') => killAfterWrites(n, { kind: 'auditEvents', signal });

function expectAllStoredOnce(): void {
  expect(countRows(db.path, 'audit_events')).toBe(EVENTS);
  expect(deadLetters(db.path)).toEqual([]);
  expect(checkpoint()).toMatchObject({ window: null, through: expect.any(String) });
  expect(server.throttled()).toBe(0);
  expect(server.maxPerSecond(`${PROFILES.prod!.accountId}/eu-west-1`)).toBeLessThanOrEqual(2);
}

describe('ingest poll-cloudtrail', () => {
  it('killed mid-backfill (SIGKILL) and run again: resumes from the checkpoint token, each event stored once', async () => {
    const killed = await runIngest([...POLL, '--once', '--db', db.path], env(afterPages(2, 'SIGKILL')));
    expect(killed.signal, `did not crash at the failpoint: ${killed.stdout}${killed.stderr}`).toBe('SIGKILL');
    const cp = checkpoint()!;
    const before = countRows(db.path, 'audit_events');
    expect(cp.pages).toBe(2);
    expect(cp.window?.nextToken).toEqual(expect.any(String));
    expect(before).toBeGreaterThanOrEqual(cp.events);
    expect(before).toBeLessThan(EVENTS);

    const rerun = await runIngest([...POLL, '--once', '--db', db.path], env());
    expect(rerun.code, rerun.stderr).toBe(0);
    const summary = JSON.parse(rerun.stdout) as { stored: number; storeDuplicates: number; skippedSeen: number; targets: Array<{ status: string }> };
    expect(summary.targets[0]!.status).toBe('done');
    expect(summary.stored).toBe(EVENTS - before);
    // Resumed where the store's checkpoint said, not from the start.
    expect(server.requests.some((r) => r.nextToken === cp.window!.nextToken)).toBe(true);
    expectAllStoredOnce();
  });

  it('on SIGTERM abandons the page in flight, keeps what was committed, exits 0; a restart finishes the job', async () => {
    // SIGTERM after the second page's commit, while the poller reads the third.
    const stopped = await runIngest([...POLL, '--db', db.path], env(afterPages(2, 'SIGTERM')));
    expect(stopped.code, stopped.stderr).toBe(0);
    const summary = JSON.parse(stopped.stdout) as { targets: Array<{ status: string; pages: number }> };
    expect(summary.targets[0]!.status).toBe('stopped');
    const cp = checkpoint()!;
    // Every page the poller read before the signal was written with its checkpoint at shutdown.
    expect(cp.pages).toBeGreaterThanOrEqual(2);
    expect(cp.pages).toBe(summary.targets[0]!.pages);
    expect(countRows(db.path, 'audit_events')).toBe(cp.events);

    const rerun = await runIngest([...POLL, '--once', '--db', db.path], env());
    expect(rerun.code, rerun.stderr).toBe(0);
    expectAllStoredOnce();
  });

  it('fails with what to fix when the profile has no credentials, or lacks cloudtrail:LookupEvents', async () => {
    const missing = await runIngest([...POLL, '--once', '--db', db.path, '--targets', 'nosuchprofile:eu-west-1'], env());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/ingest: no AWS credentials for CloudTrail target nosuchprofile\/eu-west-1: AWS profile "nosuchprofile" gave none/);
    server.deny(PROFILES.prod!.accessKeyId);
    const denied = await runIngest([...POLL, '--once', '--db', db.path], env());
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/not allowed cloudtrail:LookupEvents \(AccessDenied/);
    expect(denied.stderr).not.toContain(PROFILES.prod!.secretAccessKey);
  });
});

describe('ingest serve with KEYSCOPE_CLOUDTRAIL_API_TARGETS', () => {
  it('runs the poller in the service and stops it cleanly on SIGTERM', async () => {
    // SIGTERM once the last page of the back-fill is committed (the next poll is a minute away).
    const result = await runIngest(
      ['serve', '--db', db.path],
      env({ KEYSCOPE_INTAKE_PORT: '0', KEYSCOPE_LOG_LEVEL: 'info', KEYSCOPE_CLOUDTRAIL_API_BACKFILL_DAYS: '0.05', ...afterPages(PAGES, 'SIGTERM') }),
    );
    expect(result.code, result.stderr).toBe(0);
    const started = result.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; cloudTrailApi?: string[] }).find((l) => l.msg === 'ingest service started');
    expect(started?.cloudTrailApi).toEqual(['prod/eu-west-1']);
    expectAllStoredOnce();
  });

  it('refuses to start when the credentials have expired, saying so', async () => {
    server.expire(PROFILES.prod!.accessKeyId);
    const result = await runIngest(['serve', '--db', db.path], env({ KEYSCOPE_INTAKE_PORT: '0' }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ingest: CloudTrail target prod\/eu-west-1: the credentials of AWS profile "prod" have expired \(ExpiredTokenException/);
  });
});
