import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { AUDIT_ACTIONS, AUDIT_TABLE, ensureAuditTable, toAuditRow, type AuditRow, type StoredAuditRow } from './audit-log';

/** Filters of the admin page, its API and the CLI; they reach SQLite only as bound values. */
export const AuditFilterSchema = z
  .object({
    actor: z.string().trim().min(1).max(320).optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    outcome: z.enum(['success', 'failure']).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    /** Matched anywhere in the target and the detail. */
    text: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

export const AUDIT_PAGE_MAX = 200;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function where(f: AuditFilter): { sql: string; args: unknown[] } {
  const parts: string[] = [];
  const args: unknown[] = [];
  if (f.actor !== undefined) { parts.push(`(actor = ? COLLATE NOCASE OR actor_id = ?)`); args.push(f.actor, f.actor); }
  if (f.action !== undefined) { parts.push('action = ?'); args.push(f.action); }
  if (f.outcome !== undefined) { parts.push('outcome = ?'); args.push(f.outcome); }
  if (f.since !== undefined) { parts.push('time_ms >= ?'); args.push(Date.parse(f.since)); }
  if (f.until !== undefined) { parts.push('time_ms < ?'); args.push(Date.parse(f.until)); }
  if (f.text !== undefined) {
    parts.push(`(target LIKE ? ESCAPE '\\' OR detail LIKE ? ESCAPE '\\')`);
    const like = `%${escapeLike(f.text)}%`;
    args.push(like, like);
  }
  return { sql: parts.length === 0 ? '1' : parts.join(' AND '), args };
}

/** Newest first, `limit` rows older than `before` (a seq); `nextBefore` pages on. */
export function listAudit(db: Database, f: AuditFilter, page: { before?: number; limit?: number } = {}): { rows: AuditRow[]; nextBefore: number | null } {
  ensureAuditTable(db);
  const limit = Math.min(Math.max(page.limit ?? 50, 1), AUDIT_PAGE_MAX);
  const w = where(f);
  const rows = db.prepare(`SELECT * FROM ${AUDIT_TABLE} WHERE ${w.sql} AND seq < ? ORDER BY seq DESC LIMIT ?`)
    .all(...w.args, page.before ?? Number.MAX_SAFE_INTEGER, limit + 1) as StoredAuditRow[];
  const more = rows.length > limit;
  const shown = rows.slice(0, limit).map(toAuditRow);
  return { rows: shown, nextBefore: more ? shown[shown.length - 1]!.seq : null };
}

/** Oldest first, in chunks, for exports: each chunk is one short read, so a stream never holds a transaction open. */
export function* auditChunks(db: Database, f: AuditFilter, chunk = 500): Generator<AuditRow[]> {
  ensureAuditTable(db);
  const w = where(f);
  const read = db.prepare(`SELECT * FROM ${AUDIT_TABLE} WHERE ${w.sql} AND seq > ? ORDER BY seq LIMIT ?`);
  for (let after = 0; ;) {
    const rows = read.all(...w.args, after, chunk) as StoredAuditRow[];
    if (rows.length === 0) return;
    yield rows.map(toAuditRow);
    after = rows[rows.length - 1]!.seq;
  }
}
