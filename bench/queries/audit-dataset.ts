import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditEvent } from '../../lib/model/audit-event';
import { openStore } from '../../lib/store';
import type { Store } from '../../lib/store/types';
import { DAY, END, RESULTS_DIR } from './dataset';

/**
 * Synthetic KMS audit events for the audit-search benchmark: the shapes of real traffic
 * (a few busy application roles, many quiet humans, a long tail of source IPs, cryptographic
 * calls dominating, 2% failures, encryption context on most calls), spread over the 30 days
 * before END. Deterministic per (seed, index), so both stores get the same events.
 */
const ACCOUNT = '111122223333';
const REGIONS = ['us-east-1', 'us-east-1', 'us-east-1', 'eu-west-1', 'ap-southeast-2'];
const ACTIONS = ['Decrypt', 'Decrypt', 'Decrypt', 'Decrypt', 'GenerateDataKey', 'GenerateDataKey', 'Encrypt', 'ReEncrypt', 'DescribeKey', 'ListAliases'];
const ERRORS = ['AccessDeniedException', 'ThrottlingException', 'InvalidCiphertextException', 'KMSInvalidStateException'];
const AGENTS = ['aws-sdk-java/2.25.1', 'aws-sdk-go-v2/1.30.0', 'Boto3/1.34.0 Python/3.12', 'aws-cli/2.15.0', 'aws-sdk-js/3.600.0'];
const TENANTS = Array.from({ length: 200 }, (_, i) => `tenant-${i}`);
const KEYS = Array.from({ length: 50 }, (_, i) => `0000${i.toString(16).padStart(4, '0')}-1111-4222-8333-${(444455556666 + i).toString(16).padStart(12, '0')}`);
const ROLES = Array.from({ length: 20 }, (_, i) => `app-role-${i}`);
const HUMANS = Array.from({ length: 300 }, (_, i) => `person-${i}`);

/** A small xorshift PRNG: fast and reproducible. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 4294967296;
  };
}
const pick = <T,>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
/** Skewed pick: low indices far more often (Zipf-like), as real callers and keys are. */
const skewed = <T,>(r: () => number, xs: readonly T[]): T => xs[Math.floor(xs.length * r() ** 3)]!;

export function auditEvents(seed: number, n: number, fromMs: number, toMs: number): AuditEvent[] {
  const r = rng(seed * 2654435761 + 7);
  const out: AuditEvent[] = [];
  for (let i = 0; i < n; i++) {
    const human = r() < 0.05;
    const name = human ? pick(r, HUMANS) : skewed(r, ROLES);
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/${name}`;
    const keyId = skewed(r, KEYS);
    const region = pick(r, REGIONS);
    const keyArn = `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`;
    const eventName = pick(r, ACTIONS);
    const failed = r() < 0.02;
    const crypto = eventName !== 'DescribeKey' && eventName !== 'ListAliases';
    const ip = human ? `203.0.113.${Math.floor(r() * 250)}` : `10.${Math.floor(r() * 4)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`;
    const id = `${(seed >>> 0).toString(16).padStart(8, '0')}-${(i >>> 12).toString(16).padStart(4, '0')}-4${(i & 0xfff).toString(16).padStart(3, '0')}-8000-${Math.floor(r() * 2 ** 48).toString(16).padStart(12, '0')}`;
    const errorCode = failed ? pick(r, ERRORS) : null;
    out.push({
      id,
      time: new Date(fromMs + Math.floor(r() * (toMs - fromMs))).toISOString(),
      eventName, eventType: 'AwsApiCall', readOnly: !crypto || eventName === 'Decrypt', management: !crypto,
      keyArn: crypto ? keyArn : null, keyId: crypto ? keyId : null, keyMaterialId: null, previousKeyMaterialId: null, reEncryptSource: null,
      principal: {
        type: 'AssumedRole', name: roleArn, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/session-${Math.floor(r() * 50)}`,
        accountId: ACCOUNT, principalId: `AROAEXAMPLE${name.length}:session`, accessKeyId: `ASIAEXAMPLE${Math.floor(r() * 1000)}`, roleArn, invokedBy: null,
      },
      sourceIp: ip, userAgent: pick(r, AGENTS), region, accountId: ACCOUNT, crossAccount: false,
      outcome: failed ? 'failure' : 'success', errorCode, errorMessage: failed ? `${errorCode}: the call failed` : null,
      encryptionContext: crypto && r() < 0.8 ? { tenant: skewed(r, TENANTS), purpose: r() < 0.5 ? 'object' : 'backup' } : null,
      requestId: `${id.slice(0, 8)}-req`,
      raw: { eventVersion: '1.08', eventID: id, eventName, eventSource: 'kms.amazonaws.com' },
    });
  }
  return out;
}

export const auditSqlitePath = (n: number): string => join(RESULTS_DIR, `audit-${n}.db`);

/** Writes N events over the 30 days before END in chunks; returns events/s. */
export async function loadAudit(store: Store, n: number): Promise<number> {
  const chunk = 20_000;
  const started = Date.now();
  for (let i = 0; i * chunk < n; i++) {
    const size = Math.min(chunk, n - i * chunk);
    // In time order, one slice of the 30 days per chunk, as trail files and LookupEvents pages arrive.
    const slice = (30 * DAY * chunk) / n;
    const from = END - 30 * DAY + i * slice;
    await store.writeBatch({ source: 'bench', auditEvents: auditEvents(1000 + i, size, Math.floor(from), Math.min(END, Math.floor(from + slice))) });
    const done = i * chunk + size;
    process.stderr.write(`\rbuilding: ${done.toLocaleString('en-US')} / ${n.toLocaleString('en-US')} audit events (${Math.round(done / ((Date.now() - started) / 1000))}/s)`);
  }
  process.stderr.write('\n');
  return Math.round(n / ((Date.now() - started) / 1000));
}

/** Every table's and index's SQL, in name order: two databases agree on it when their schemas do. */
function schemaOf(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    return JSON.stringify(db.prepare("SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name").all());
  } finally {
    db.close();
  }
}

/**
 * Whether the database an earlier run built can be measured again: all N events are in it
 * (a run stopped mid-build leaves fewer) and its schema is the current one (an index added
 * or dropped since changes every figure), compared with a fresh store's.
 */
export async function reusableAuditSqlite(n: number): Promise<boolean> {
  const path = auditSqlitePath(n);
  if (!existsSync(path)) return false;
  const fresh = join(RESULTS_DIR, `schema-probe-${process.pid}.db`);
  await (await openStore({ backend: 'sqlite', sqlitePath: fresh }, { mode: 'readwrite' })).close();
  try {
    if (schemaOf(fresh) !== schemaOf(path)) return false;
  } finally {
    for (const f of [fresh, `${fresh}-wal`, `${fresh}-shm`]) rmSync(f, { force: true });
  }
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number }).n === n;
  } finally {
    db.close();
  }
}

export async function buildAuditSqlite(n: number): Promise<number> {
  for (const f of ['', '-wal', '-shm']) rmSync(auditSqlitePath(n) + f, { force: true });
  mkdirSync(RESULTS_DIR, { recursive: true });
  const store = await openStore({ backend: 'sqlite', sqlitePath: auditSqlitePath(n) }, { mode: 'readwrite' });
  try {
    return await loadAudit(store, n);
  } finally {
    await store.close();
  }
}
