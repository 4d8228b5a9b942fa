import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { auditDbOf } from '../../lib/audit/audit-db';
import { listAudit } from '../../lib/audit/audit-query';
import { verifyAuditChain } from '../../lib/audit/audit-verify';
import { NotFoundError } from '../../lib/questions/errors';
import {
  createSavedSearch, deleteSavedSearch, listSavedSearches, MAX_SAVED_PER_OWNER, SavedSearchForbiddenError, SavedSearchLimitError, type SavedSearchCaller,
} from '../../lib/saved-searches/saved-search-db';
import { freshAuth } from '../auth/support';

const ana: SavedSearchCaller = { actor: 'ana@example.com', actorId: 'u-ana', role: 'analyst', requestId: '00000000-0000-4000-8000-00000000000a' };
const bob: SavedSearchCaller = { actor: 'bob@example.com', actorId: 'u-bob', role: 'analyst' };
const root: SavedSearchCaller = { actor: 'root@example.com', actorId: 'u-root', role: 'admin' };
const search = (name: string, shared = false) => ({ name, query: 'event.action:Decrypt AND NOT error.code:*', range: { kind: 'preset' as const, preset: '24h' as const }, shared });

describe('saved searches in the auth database', () => {
  let a: Awaited<ReturnType<typeof freshAuth>>;
  beforeEach(async () => (a = await freshAuth()));
  afterEach(() => a.close());
  const db = () => auditDbOf(a.auth);

  it('stores every field, canonicalises columns, and lists mine and shared ones newest first', () => {
    const t0 = Date.UTC(2026, 2, 2);
    const mine = createSavedSearch(db(), { ...search('decrypts'), columns: ['@Timestamp', 'kms.encryption_context.Tenant'] }, ana, t0);
    expect(mine).toMatchObject({ ownerId: 'u-ana', ownerEmail: 'ana@example.com', name: 'decrypts', shared: false, mine: true, columns: ['@timestamp', 'kms.encryption_context.Tenant'] });
    expect(mine.createdAt).toBe(new Date(t0).toISOString());
    createSavedSearch(db(), search("bob's private"), bob, t0 + 1);
    const shared = createSavedSearch(db(), { ...search('bob shares', true), range: { kind: 'absolute', from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z' } }, bob, t0 + 2);
    const anaSees = listSavedSearches(db(), 'u-ana');
    expect(anaSees.map((s) => s.name)).toEqual(['bob shares', 'decrypts']);
    expect(anaSees[0]).toMatchObject({ id: shared.id, mine: false, range: { kind: 'absolute', from: '2026-03-01T00:00:00Z' } });
    expect(listSavedSearches(db(), 'u-bob').map((s) => s.name)).toEqual(['bob shares', "bob's private"]);
  });

  it('refuses bad fields naming each one', () => {
    const bad = [
      [{ ...search(''), name: '   ' }, 'name'],
      [{ ...search('x'.repeat(121)) }, 'name'],
      [{ ...search('q'), query: 'event.action:(' }, 'query'],
      [{ ...search('q'), query: 'a'.repeat(4097) }, 'query'],
      [{ ...search('r'), range: { kind: 'preset', preset: '2h' } }, 'range.preset'],
      [{ ...search('r'), range: { kind: 'absolute', from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' } }, 'range.to'],
      [{ ...search('c'), columns: ['no.such.field'] }, 'columns.0'],
      [{ ...search('c'), columns: ['event.id', 'EVENT.ID'] }, 'columns'],
      [{ ...search('s'), shared: 'yes' }, 'shared'],
      [{ ...search('e'), owner: 'u-bob' }, ''],
    ] as const;
    for (const [input, path] of bad) {
      let err: unknown;
      try {
        createSavedSearch(db(), input as never, ana);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(input).slice(0, 80)).toBeInstanceOf(ZodError);
      expect((err as ZodError).issues.map((i) => i.path.join('.'))).toContain(path);
    }
    expect(listSavedSearches(db(), 'u-ana')).toEqual([]);
  });

  it('deletes for its owner or an admin; another analyst gets 403 on a shared one and not-found on a private one', () => {
    const shared = createSavedSearch(db(), search('shared', true), ana);
    const privateOne = createSavedSearch(db(), search('private'), ana);
    expect(() => deleteSavedSearch(db(), shared.id, bob)).toThrow(SavedSearchForbiddenError);
    expect(() => deleteSavedSearch(db(), privateOne.id, bob)).toThrow(NotFoundError);
    expect(() => deleteSavedSearch(db(), '6f1c1c1e-0000-4000-8000-000000000000', ana)).toThrow(NotFoundError);
    expect(deleteSavedSearch(db(), shared.id, root).name).toBe('shared');
    expect(deleteSavedSearch(db(), privateOne.id, ana).name).toBe('private');
    expect(listSavedSearches(db(), 'u-ana')).toEqual([]);
  });

  it('records each write in the audit log with who did it, in a chain that verifies', () => {
    const s = createSavedSearch(db(), search('audited', true), ana);
    deleteSavedSearch(db(), s.id, root);
    const rows = listAudit(db(), {}, { limit: 10 }).rows.reverse().filter((r) => r.target === `saved-search:${s.id}`);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ action: 'search', actor: 'ana@example.com', actorId: 'u-ana', role: 'analyst', requestId: ana.requestId, detail: { op: 'saved-search.create', name: 'audited', shared: true } });
    expect(rows[1]).toMatchObject({ action: 'search', actor: 'root@example.com', role: 'admin', detail: { op: 'saved-search.delete', owner: 'ana@example.com' } });
    expect(verifyAuditChain(db()).ok).toBe(true);
  });

  it('caps how many one user keeps', () => {
    for (let i = 0; i < MAX_SAVED_PER_OWNER; i++) createSavedSearch(db(), search(`s${i}`), bob, 1_000 + i);
    expect(() => createSavedSearch(db(), search('one more'), bob)).toThrow(SavedSearchLimitError);
    expect(createSavedSearch(db(), search('others still may'), ana).name).toBe('others still may');
  });
});
