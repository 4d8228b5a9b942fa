import { createHash, randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { recordAudit, type AuditActor } from '../audit/audit-log';

/**
 * Emitter tokens: what an application sends as `Authorization: Bearer` to write to the
 * intake (NDJSON and OTLP). Each is scoped to the services (and optionally tenants) it may
 * write. Only a SHA-256 of the token is stored; the token is shown once, at creation.
 * Tokens live in the auth database, in a table of keyscope's own beside better-auth's.
 */
export const TOKEN_PREFIX = 'kse_';
const SCOPE_VALUE = z.string().trim().min(1).max(128);

export const NewEmitterTokenSchema = z
  .object({
    name: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'letters, digits, space, ., _ and -'),
    services: z.array(SCOPE_VALUE).min(1, 'at least one service').max(100),
    /** Omitted or empty: any tenant of those services. */
    tenants: z.array(SCOPE_VALUE).max(1000).optional(),
  })
  .strict();
export type NewEmitterToken = z.input<typeof NewEmitterTokenSchema>;

/** What a token may write: `tenants` null is any tenant. */
export type TokenScope = { services: readonly string[]; tenants: readonly string[] | null };

export type EmitterTokenSummary = TokenScope & {
  id: string;
  name: string;
  createdAt: string;
  createdBy: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
};

/** Who creates or revokes: the audit log's actor, or just a name (the created-by and revoked-by columns). */
export type TokenOperator = AuditActor | string | null;
const operatorOf = (by: TokenOperator): AuditActor => (by === null || typeof by === 'string' ? { actor: by ?? 'unknown' } : by);

export class EmitterTokenError extends Error {
  override readonly name = 'EmitterTokenError';
}

const TABLE = 'keyscope_emitter_tokens';

export function ensureTokenTable(db: Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${TABLE} (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      secret_sha256 TEXT NOT NULL UNIQUE,
      services TEXT NOT NULL,
      tenants TEXT,
      created_at_ms INTEGER NOT NULL,
      created_by TEXT,
      revoked_at_ms INTEGER,
      revoked_by TEXT
    );
    CREATE UNIQUE INDEX IF NOT EXISTS ux_${TABLE}_active_name ON ${TABLE}(name) WHERE revoked_at_ms IS NULL;
  `);
}

/** The stored form of a token: hex SHA-256 of all of it (the secret has 256 bits, no salt or stretching needed). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** `kse_<id>_<secret>`: the id names the token in logs and lists; the secret is 32 random bytes. */
function newToken(): { id: string; token: string } {
  const id = randomBytes(8).toString('hex');
  return { id, token: `${TOKEN_PREFIX}${id}_${randomBytes(32).toString('base64url')}` };
}

/** The id part of something that looks like a token (for logs), never the secret. */
export function tokenIdOf(token: string): string | null {
  const m = /^kse_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/.exec(token);
  return m ? m[1]! : null;
}

type Row = {
  id: string; name: string; services: string; tenants: string | null;
  created_at_ms: number; created_by: string | null; revoked_at_ms: number | null; revoked_by: string | null;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function summary(r: Row): EmitterTokenSummary {
  return {
    id: r.id, name: r.name, services: JSON.parse(r.services) as string[], tenants: r.tenants === null ? null : (JSON.parse(r.tenants) as string[]),
    createdAt: iso(r.created_at_ms)!, createdBy: r.created_by, revokedAt: iso(r.revoked_at_ms), revokedBy: r.revoked_by,
  };
}

/** Creates a token; the returned `token` is the only time the secret exists outside the emitter. */
export function createEmitterToken(db: Database, input: NewEmitterToken, by: TokenOperator, nowMs = Date.now()): { token: string; summary: EmitterTokenSummary } {
  const t = NewEmitterTokenSchema.parse(input);
  const operator = operatorOf(by);
  const createdBy = by === null ? null : operator.actor;
  ensureTokenTable(db);
  const active = db.prepare(`SELECT 1 FROM ${TABLE} WHERE name = ? AND revoked_at_ms IS NULL`).get(t.name);
  if (active !== undefined) throw new EmitterTokenError(`an active token named ${t.name} exists: revoke it first, or choose another name`);
  const { id, token } = newToken();
  const tenants = t.tenants === undefined || t.tenants.length === 0 ? null : JSON.stringify([...new Set(t.tenants)]);
  db.transaction(() => {
    db.prepare(`INSERT INTO ${TABLE} (id, name, secret_sha256, services, tenants, created_at_ms, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(id, t.name, hashToken(token), JSON.stringify([...new Set(t.services)]), tenants, nowMs, createdBy);
    recordAudit(db, { by: operator, action: 'token.create', target: `token:${id}`, detail: { name: t.name, services: t.services, tenants: t.tenants ?? [] } }, nowMs);
  }).immediate();
  return { token, summary: summary(db.prepare(`SELECT * FROM ${TABLE} WHERE id = ?`).get(id) as Row) };
}

export function listEmitterTokens(db: Database): EmitterTokenSummary[] {
  ensureTokenTable(db);
  return (db.prepare(`SELECT * FROM ${TABLE} ORDER BY created_at_ms, id`).all() as Row[]).map(summary);
}

/** Revokes by id or by the name of an active token; the ingest service refuses it within its refresh interval. */
export function revokeEmitterToken(db: Database, idOrName: string, by: TokenOperator, nowMs = Date.now()): EmitterTokenSummary {
  ensureTokenTable(db);
  const operator = operatorOf(by);
  const revokedBy = by === null ? null : operator.actor;
  const row = db.prepare(`SELECT * FROM ${TABLE} WHERE (id = ? OR name = ?) ORDER BY revoked_at_ms IS NULL DESC LIMIT 1`).get(idOrName, idOrName) as Row | undefined;
  if (row === undefined) throw new EmitterTokenError(`no token with id or name ${idOrName}`);
  if (row.revoked_at_ms !== null) throw new EmitterTokenError(`token ${row.id} (${row.name}) was already revoked at ${iso(row.revoked_at_ms)}`);
  db.transaction(() => {
    db.prepare(`UPDATE ${TABLE} SET revoked_at_ms = ?, revoked_by = ? WHERE id = ?`).run(nowMs, revokedBy, row.id);
    recordAudit(db, { by: operator, action: 'token.revoke', target: `token:${row.id}`, detail: { name: row.name } }, nowMs);
  }).immediate();
  return summary({ ...row, revoked_at_ms: nowMs, revoked_by: revokedBy });
}

/** What the intake needs: active tokens by hash, and whether any token was ever made (then tokens stay required). */
export type TokenTable = { everMade: boolean; active: Map<string, { id: string; name: string; scope: TokenScope }>; revoked: Map<string, string> };

export function readTokenTable(db: Database): TokenTable {
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(TABLE) !== undefined;
  const active: TokenTable['active'] = new Map();
  const revoked: TokenTable['revoked'] = new Map();
  if (!exists) return { everMade: false, active, revoked };
  const everMade = db.prepare(`SELECT 1 FROM ${TABLE} LIMIT 1`).get() !== undefined;
  const rows = db.prepare(`SELECT id, name, secret_sha256, services, tenants, revoked_at_ms FROM ${TABLE}`).all() as Array<Row & { secret_sha256: string }>;
  for (const r of rows) {
    if (r.revoked_at_ms !== null) {
      revoked.set(r.secret_sha256, r.id);
      continue;
    }
    const s = summary({ ...r, created_at_ms: 0, created_by: null, revoked_by: null });
    active.set(r.secret_sha256, { id: r.id, name: r.name, scope: { services: s.services, tenants: s.tenants } });
  }
  return { everMade, active, revoked };
}

/** Why a record of (service, tenant) is outside a token's scope, or null when it is inside. */
export function scopeProblem(scope: TokenScope, service: string, tenant: string): string | null {
  if (!scope.services.includes(service)) return `service ${service.slice(0, 128)} is not in this token's scope (it may write: ${scope.services.join(', ').slice(0, 512)})`;
  if (scope.tenants !== null && !scope.tenants.includes(tenant)) return `tenant ${tenant.slice(0, 128)} is not in this token's scope (it may write: ${scope.tenants.join(', ').slice(0, 512)})`;
  return null;
}
