import { createHash } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Database } from 'better-sqlite3';
import type { Role } from '../auth/roles';

/**
 * keyscope's own audit log: one append-only table in the auth database. SQLite triggers
 * refuse UPDATE and DELETE; each row stores the SHA-256 of the previous row's hash and its
 * own content, so an edit made around the triggers shows up in `verifyAuditChain`.
 */
export const AUDIT_ACTIONS = [
  'sign-in', 'user.create', 'user.role', 'user.password-reset', 'token.create', 'token.revoke',
  // Issues 14–16 call recordAudit with these: exports, analysts' searches, alert workflow.
  'export', 'search', 'alert.state',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditOutcome = 'success' | 'failure';

/** Who did it and from where: an email, `cli:<os user>`, or `anonymous` (a failed sign-in). */
export type AuditActor = { actor: string; actorId?: string | null; role?: Role | null; requestId?: string | null; sourceIp?: string | null };

export type AuditEntry = {
  by: AuditActor;
  action: AuditAction;
  /** What it was done to: `user:<email>`, `token:<id>`, a question's name, an alert id. */
  target: string | null;
  outcome?: AuditOutcome;
  /** Facts that explain the row; never passwords, tokens or other secrets. */
  detail?: Record<string, unknown>;
};

export type AuditRow = {
  seq: number; time: string; actor: string; actorId: string | null; role: string | null; action: string; target: string | null;
  outcome: AuditOutcome; requestId: string | null; sourceIp: string | null; detail: Record<string, unknown>; prevSha256: string; sha256: string;
};

export const AUDIT_TABLE = 'keyscope_audit_log';
export const GENESIS_SHA256 = '0'.repeat(64);
const ensured = new WeakSet<Database>();

export function ensureAuditTable(db: Database): void {
  if (ensured.has(db)) return;
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${AUDIT_TABLE} (
      seq INTEGER PRIMARY KEY,
      time_ms INTEGER NOT NULL,
      actor TEXT NOT NULL,
      actor_id TEXT,
      actor_role TEXT,
      action TEXT NOT NULL,
      target TEXT,
      outcome TEXT NOT NULL,
      request_id TEXT,
      source_ip TEXT,
      detail TEXT NOT NULL,
      prev_sha256 TEXT NOT NULL,
      sha256 TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ix_${AUDIT_TABLE}_time ON ${AUDIT_TABLE}(time_ms);
    CREATE INDEX IF NOT EXISTS ix_${AUDIT_TABLE}_action ON ${AUDIT_TABLE}(action, seq);
    CREATE TRIGGER IF NOT EXISTS ${AUDIT_TABLE}_no_update BEFORE UPDATE ON ${AUDIT_TABLE}
      BEGIN SELECT RAISE(ABORT, '${AUDIT_TABLE} is append-only: rows cannot be updated'); END;
    CREATE TRIGGER IF NOT EXISTS ${AUDIT_TABLE}_no_delete BEFORE DELETE ON ${AUDIT_TABLE}
      BEGIN SELECT RAISE(ABORT, '${AUDIT_TABLE} is append-only: rows cannot be deleted'); END;
  `);
  ensured.add(db);
}

/** The stored columns in the order the hash covers them. */
export type StoredAuditRow = {
  seq: number; time_ms: number; actor: string; actor_id: string | null; actor_role: string | null; action: string; target: string | null;
  outcome: string; request_id: string | null; source_ip: string | null; detail: string; prev_sha256: string; sha256: string;
};

export function rowSha256(r: Omit<StoredAuditRow, 'sha256'>): string {
  const content = JSON.stringify([r.seq, r.time_ms, r.actor, r.actor_id, r.actor_role, r.action, r.target, r.outcome, r.request_id, r.source_ip, r.detail]);
  return createHash('sha256').update(`${r.prev_sha256}\n${content}`, 'utf8').digest('hex');
}

/** Appends one row; IMMEDIATE so that two processes (dashboard, CLI) never chain from the same previous row. */
export function recordAudit(db: Database, e: AuditEntry, nowMs = Date.now()): AuditRow {
  ensureAuditTable(db);
  const append = db.transaction(() => {
    const last = db.prepare(`SELECT seq, sha256 FROM ${AUDIT_TABLE} ORDER BY seq DESC LIMIT 1`).get() as { seq: number; sha256: string } | undefined;
    const row: Omit<StoredAuditRow, 'sha256'> = {
      seq: (last?.seq ?? 0) + 1, time_ms: nowMs, actor: e.by.actor.slice(0, 320), actor_id: e.by.actorId ?? null, actor_role: e.by.role ?? null,
      action: e.action, target: e.target === null ? null : e.target.slice(0, 512), outcome: e.outcome ?? 'success',
      request_id: e.by.requestId ?? null, source_ip: e.by.sourceIp ?? null, detail: JSON.stringify(e.detail ?? {}), prev_sha256: last?.sha256 ?? GENESIS_SHA256,
    };
    const stored = { ...row, sha256: rowSha256(row) };
    db.prepare(`INSERT INTO ${AUDIT_TABLE} (seq, time_ms, actor, actor_id, actor_role, action, target, outcome, request_id, source_ip, detail, prev_sha256, sha256)
      VALUES (@seq, @time_ms, @actor, @actor_id, @actor_role, @action, @target, @outcome, @request_id, @source_ip, @detail, @prev_sha256, @sha256)`).run(stored);
    return stored;
  });
  return toAuditRow(db.inTransaction ? append() : append.immediate());
}

export function toAuditRow(r: StoredAuditRow): AuditRow {
  return {
    seq: r.seq, time: new Date(r.time_ms).toISOString(), actor: r.actor, actorId: r.actor_id, role: r.actor_role, action: r.action, target: r.target,
    outcome: r.outcome === 'failure' ? 'failure' : 'success', requestId: r.request_id, sourceIp: r.source_ip,
    detail: JSON.parse(r.detail) as Record<string, unknown>, prevSha256: r.prev_sha256, sha256: r.sha256,
  };
}

/** The operator of a command-line tool (users, tokens, audit CLIs; the demo). */
export function cliActor(): AuditActor {
  return { actor: `cli:${userInfo().username}` };
}
