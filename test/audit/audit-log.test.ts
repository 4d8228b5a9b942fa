import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditDbOf } from '../../lib/audit/audit-db';
import { AUDIT_TABLE, recordAudit } from '../../lib/audit/audit-log';
import { auditChunks, listAudit } from '../../lib/audit/audit-query';
import { verifyAuditChain } from '../../lib/audit/audit-verify';
import { createEmitterToken, revokeEmitterToken } from '../../lib/auth/emitter-tokens';
import { createLocalUser, resetLocalPassword, setLocalRole } from '../../lib/auth/users';
import { freshAuth } from '../auth/support';
import { tokenSecretOf } from '../support/token-secret';

describe("keyscope's audit log", () => {
  let a: Awaited<ReturnType<typeof freshAuth>>;
  beforeEach(async () => (a = await freshAuth()));
  afterEach(() => a.close());
  const rows = () => listAudit(auditDbOf(a.auth), {}, { limit: 200 }).rows.reverse();

  it('records a sign-in, a failed sign-in with the attempted email, and never the password', async () => {
    const admin = { actor: 'boss@example.com', actorId: 'u1', role: 'admin' as const, requestId: '00000000-0000-4000-8000-000000000001' };
    const { user, password } = await createLocalUser(a.auth, { email: 'ana@example.com', role: 'analyst' }, admin);
    expect((await a.call('/sign-in/email', { body: { email: 'ana@example.com', password } })).status).toBe(200);
    expect((await a.call('/sign-in/email', { body: { email: 'Mallory@Example.com', password: 'guessed-password-123' } })).status).toBe(401);
    const [created, ok, failed] = rows();
    expect(created).toMatchObject({ action: 'user.create', actor: 'boss@example.com', role: 'admin', requestId: admin.requestId, target: 'user:ana@example.com', detail: { role: 'analyst' } });
    expect(ok).toMatchObject({ action: 'sign-in', outcome: 'success', actor: 'ana@example.com', actorId: user.id, role: 'analyst', detail: { method: 'password' } });
    expect(failed).toMatchObject({ action: 'sign-in', outcome: 'failure', actor: 'anonymous', target: 'user:mallory@example.com', detail: { method: 'password', attemptedEmail: 'mallory@example.com' } });
    expect(JSON.stringify(rows())).not.toContain(password);
    expect(JSON.stringify(rows())).not.toContain('guessed-password-123');
  });

  it('records role changes (from, to) and password resets, by the CLI operator by default', async () => {
    await createLocalUser(a.auth, { email: 'x@example.com', role: 'viewer' });
    await setLocalRole(a.auth, 'x@example.com', 'executive');
    const password = await resetLocalPassword(a.auth, 'x@example.com');
    const [, role, reset] = rows();
    expect(role).toMatchObject({ action: 'user.role', target: 'user:x@example.com', detail: { from: 'viewer', to: 'executive' } });
    expect(role!.actor).toMatch(/^cli:/);
    expect(reset).toMatchObject({ action: 'user.password-reset', target: 'user:x@example.com' });
    expect(JSON.stringify(rows())).not.toContain(password);
  });

  it('records token creation and revocation in the same transaction, never the token', () => {
    const db = auditDbOf(a.auth);
    const { token, summary } = createEmitterToken(db, { name: 'billing', services: ['billing'] }, { actor: 'boss@example.com', role: 'admin' });
    revokeEmitterToken(db, 'billing', 'cli:ops');
    const [made, revoked] = rows();
    expect(made).toMatchObject({ action: 'token.create', actor: 'boss@example.com', target: `token:${summary.id}`, detail: { name: 'billing', services: ['billing'] } });
    expect(revoked).toMatchObject({ action: 'token.revoke', actor: 'cli:ops', target: `token:${summary.id}` });
    const secret = tokenSecretOf(token);
    expect(JSON.stringify(rows())).not.toContain(secret);
  });

  it('refuses UPDATE and DELETE', () => {
    const db = auditDbOf(a.auth);
    recordAudit(db, { by: { actor: 'a@example.com' }, action: 'search', target: 'audit-search', detail: { q: 'x' } });
    expect(() => db.prepare(`UPDATE ${AUDIT_TABLE} SET actor = 'someone-else'`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM ${AUDIT_TABLE}`).run()).toThrow(/append-only/);
    expect(rows()).toHaveLength(1);
  });

  it('the hash chain verifies, and an edited or deleted row breaks it at that row', () => {
    const db = auditDbOf(a.auth);
    for (let i = 0; i < 5; i++) recordAudit(db, { by: { actor: 'a@example.com' }, action: 'search', target: `q${i}`, detail: { i } });
    const good = verifyAuditChain(db);
    expect(good).toMatchObject({ ok: true, rows: 5 });
    // Someone with the file in hand drops the trigger and rewrites history.
    db.exec(`DROP TRIGGER ${AUDIT_TABLE}_no_update`);
    db.prepare(`UPDATE ${AUDIT_TABLE} SET target = 'nothing to see' WHERE seq = 3`).run();
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenAt: 3, reason: expect.stringMatching(/changed/) });
  });

  it('a deleted row breaks the link of the next one', () => {
    const db = auditDbOf(a.auth);
    for (let i = 0; i < 4; i++) recordAudit(db, { by: { actor: 'a@example.com' }, action: 'export', target: `e${i}` });
    db.exec(`DROP TRIGGER ${AUDIT_TABLE}_no_delete`);
    db.prepare(`DELETE FROM ${AUDIT_TABLE} WHERE seq = 2`).run();
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('filters by actor, action, time range and text; pages newest first; exports oldest first in chunks', () => {
    const db = auditDbOf(a.auth);
    const t0 = Date.parse('2026-11-01T00:00:00Z');
    for (let i = 0; i < 30; i++) {
      recordAudit(db, { by: { actor: i % 2 ? 'ana@example.com' : 'bob@example.com' }, action: i % 3 ? 'search' : 'export', target: `t${i}`, detail: { query: i === 7 ? 'principal 100%_match' : 'x' } }, t0 + i * 3_600_000);
    }
    expect(listAudit(db, { actor: 'ANA@example.com' }).rows.every((r) => r.actor === 'ana@example.com')).toBe(true);
    expect(listAudit(db, { actor: 'ana@example.com' }).rows).toHaveLength(15);
    expect(listAudit(db, { action: 'export' }).rows.map((r) => r.target)).toEqual(['t27', 't24', 't21', 't18', 't15', 't12', 't9', 't6', 't3', 't0']);
    expect(listAudit(db, { since: '2026-11-01T10:00:00Z', until: '2026-11-01T12:00:00Z' }).rows.map((r) => r.target)).toEqual(['t11', 't10']);
    // LIKE wildcards in the text are literal.
    expect(listAudit(db, { text: '100%_' }).rows.map((r) => r.target)).toEqual(['t7']);
    expect(listAudit(db, { text: '%x' }).rows).toHaveLength(0);
    const first = listAudit(db, {}, { limit: 12 });
    const second = listAudit(db, {}, { limit: 12, before: first.nextBefore! });
    const third = listAudit(db, {}, { limit: 12, before: second.nextBefore! });
    expect([...first.rows, ...second.rows, ...third.rows].map((r) => r.seq)).toEqual(Array.from({ length: 30 }, (_, i) => 30 - i));
    expect(third.nextBefore).toBeNull();
    const chunks = [...auditChunks(db, { actor: 'bob@example.com' }, 4)];
    expect(chunks.map((c) => c.length)).toEqual([4, 4, 4, 3]);
    expect(chunks.flat().map((r) => r.target)).toEqual(Array.from({ length: 15 }, (_, i) => `t${i * 2}`));
    recordAudit(db, { by: { actor: 'anonymous' }, action: 'sign-in', target: 'user:eve@example.com', outcome: 'failure' }, t0);
    expect(listAudit(db, { outcome: 'failure' }).rows.map((r) => r.target)).toEqual(['user:eve@example.com']);
  });
});
