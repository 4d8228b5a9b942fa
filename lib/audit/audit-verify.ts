import type { Database } from 'better-sqlite3';
import { AUDIT_TABLE, ensureAuditTable, GENESIS_SHA256, rowSha256, type StoredAuditRow } from './audit-log';

export type ChainReport =
  | { ok: true; rows: number; headSha256: string }
  | { ok: false; rows: number; brokenAt: number; reason: string };

/**
 * Walks the chain from the first row. An edited row no longer hashes to its stored hash; a
 * deleted or inserted one breaks the next row's link. Cutting rows off the end leaves a
 * shorter valid chain: compare `headSha256` with a copy kept elsewhere to detect that.
 */
export function verifyAuditChain(db: Database): ChainReport {
  ensureAuditTable(db);
  let prev = GENESIS_SHA256;
  let rows = 0;
  let expectedSeq = 1;
  for (const r of db.prepare(`SELECT * FROM ${AUDIT_TABLE} ORDER BY seq`).iterate() as IterableIterator<StoredAuditRow>) {
    if (r.seq !== expectedSeq) return { ok: false, rows, brokenAt: r.seq, reason: `row ${expectedSeq} is missing (next row is ${r.seq})` };
    if (r.prev_sha256 !== prev) return { ok: false, rows, brokenAt: r.seq, reason: `row ${r.seq} does not link to the row before it` };
    if (rowSha256(r) !== r.sha256) return { ok: false, rows, brokenAt: r.seq, reason: `row ${r.seq} was changed after it was written (its hash does not match its content)` };
    prev = r.sha256;
    rows++;
    expectedSeq++;
  }
  return { ok: true, rows, headSha256: prev };
}
