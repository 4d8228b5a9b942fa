import { request as http, type APIRequestContext } from '@playwright/test';
import type { Role } from '../../lib/auth/roles';
import { exportAuditUrl } from '../../lib/export/export-link';
import { parseCsv } from '../export/csv-parse';
import { DATA_RANGE } from './support/dataset';
import { serverUrl } from './support/servers';
import { storageStatePath } from './support/sign-in';
import { expect, test } from './support/fixtures';

/**
 * The audit-search export and saved searches against the seeded data server, over HTTP as a
 * browser's download and the page's client would call them. Expectations come from the
 * server's own auditSearch answer for the same query, never from constants.
 */
const QUERY = 'event.action:Decrypt';
const api = (role: Role): Promise<APIRequestContext> =>
  http.newContext({ baseURL: serverUrl('data'), storageState: storageStatePath(role), extraHTTPHeaders: { origin: serverUrl('data') } });

type Total = { value: number; relation: 'eq' | 'gte' };

/** auditSearch's total for the query over [from, to), narrowing `to` until the total is exact (under TOTAL_CAP). */
async function exactRange(c: APIRequestContext, query: string): Promise<{ from: string; to: string; total: number }> {
  const from = DATA_RANGE.from;
  let spanMs = Date.parse(DATA_RANGE.to) - Date.parse(from);
  for (;;) {
    const to = new Date(Date.parse(from) + spanMs).toISOString();
    const res = await c.get(`/api/questions/auditSearch?${new URLSearchParams({ from, to, query, limit: '1' }).toString()}`);
    expect(res.status(), await res.text()).toBe(200);
    const { total } = (await res.json()) as { total: Total };
    if (total.relation === 'eq') return { from, to, total: total.value };
    spanMs = Math.floor(spanMs / 2);
  }
}

test.describe('audit-search export', () => {
  test.use({ role: null });

  test('the CSV of a query has a header and exactly as many rows as auditSearch counts, each event once', async () => {
    const c = await api('analyst');
    const { from, to, total } = await exactRange(c, QUERY);
    expect(total, 'the seeded data has Decrypts in the range').toBeGreaterThan(0);
    const res = await c.get(exportAuditUrl({ format: 'csv', from, to, query: QUERY, columns: ['event.id', '@timestamp', 'event.action'] }));
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers()['content-disposition']).toMatch(/^attachment; filename="keyscope-audit-events\.csv"$/);
    expect(res.headers()['x-keyscope-row-cap']).toBe('1000000');
    const [header, ...rows] = parseCsv(await res.text());
    expect(header).toEqual(['event.id', '@timestamp', 'event.action']);
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r[0])).size).toBe(total);
    expect(rows.every((r) => r[2] === 'Decrypt')).toBe(true);
    const times = rows.map((r) => Date.parse(r[1]!));
    expect(times.every((t, i) => i === 0 || t <= times[i - 1]!), 'newest first').toBe(true);
    expect(times.every((t) => t >= Date.parse(from) && t < Date.parse(to))).toBe(true);
    await c.dispose();
  });

  test('NDJSON of the same query has the same count; the export is in the audit log with its row count', async () => {
    const c = await api('analyst');
    const { from, to, total } = await exactRange(c, QUERY);
    const res = await c.get(exportAuditUrl({ format: 'ndjson', from, to, query: QUERY }));
    expect(res.status()).toBe(200);
    const lines = (await res.text()).trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string; eventName: string; raw?: unknown });
    expect(lines).toHaveLength(total);
    expect(lines.every((l) => l.eventName === 'Decrypt' && l.raw === undefined)).toBe(true);
    await c.dispose();

    // The row is written when the stream ends: the admin's audit page lists it.
    const admin = await api('admin');
    await expect.poll(async () => {
      const page = (await (await admin.get('/api/admin/audit?action=export&actor=analyst@e2e.keyscope.test&limit=50')).json()) as { rows: Array<{ target: string; detail: Record<string, unknown> }> };
      return page.rows.some((r) => r.target === 'audit-events' && r.detail.format === 'ndjson' && r.detail.rows === total && r.detail.query === QUERY && r.detail.ended === 'complete');
    }).toBe(true);
    await admin.dispose();
  });

  test('viewers and executives are refused; a bad query is a 400 with its position', async () => {
    for (const role of ['viewer', 'executive'] as const) {
      const c = await api(role);
      expect((await c.get(exportAuditUrl({ format: 'csv', ...DATA_RANGE }))).status()).toBe(403);
      await c.dispose();
    }
    const c = await api('analyst');
    const bad = await c.get(exportAuditUrl({ format: 'csv', ...DATA_RANGE, query: 'event.action:(' }));
    expect(bad.status()).toBe(400);
    expect(((await bad.json()) as { error: { issues: Array<{ path: string; message: string }> } }).error.issues[0]).toMatchObject({ path: 'query', message: expect.stringMatching(/at \d+-\d+/) });
    await c.dispose();
  });
});

test.describe('saved searches', () => {
  test.use({ role: null });

  test('an analyst saves and shares; another sees the shared one only; only the owner or an admin deletes', async () => {
    const ana = await api('analyst');
    const name = `e2e ${Date.now().toString(36)}`;
    const make = async (shared: boolean) => {
      const res = await ana.post('/api/saved-searches', { data: { name: `${name} ${shared ? 'shared' : 'private'}`, query: QUERY, range: { kind: 'preset', preset: '24h' }, columns: ['event.id'], shared } });
      expect(res.status(), await res.text()).toBe(201);
      return ((await res.json()) as { savedSearch: { id: string } }).savedSearch.id;
    };
    const privateId = await make(false);
    const sharedId = await make(true);
    const listOf = async (c: APIRequestContext) =>
      ((await (await c.get('/api/saved-searches')).json()) as { savedSearches: Array<{ id: string }> }).savedSearches.map((s) => s.id);
    expect((await listOf(ana)).slice(0, 2)).toEqual([sharedId, privateId]);

    const admin = await api('admin');
    const adminSees = await listOf(admin);
    expect(adminSees).toContain(sharedId);
    expect(adminSees).not.toContain(privateId);
    const viewer = await api('viewer');
    expect((await viewer.get('/api/saved-searches')).status()).toBe(403);

    expect((await ana.post('/api/saved-searches', { data: { name: '', query: QUERY, range: { kind: 'preset', preset: '24h' } } })).status()).toBe(400);
    expect((await admin.delete(`/api/saved-searches?id=${sharedId}`)).status()).toBe(200);
    expect((await ana.delete(`/api/saved-searches?id=${privateId}`)).status()).toBe(200);
    expect(await listOf(ana)).not.toContain(privateId);
    for (const c of [ana, admin, viewer]) await c.dispose();
  });
});
