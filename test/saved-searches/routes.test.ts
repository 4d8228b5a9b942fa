import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Viewer } from '../../lib/auth/next/viewer';
import { freshAuth } from '../auth/support';

/** The route module itself, behind guardRoute: the session is mocked, the auth database is a fresh one. */
let a: Awaited<ReturnType<typeof freshAuth>>;
let viewer: Viewer | null = null;
vi.mock('server-only', () => ({}));
vi.mock('../../lib/dashboard/server/server-log', () => ({ logFailure: vi.fn() }));
vi.mock('../../lib/auth/next/viewer', () => ({ viewerFromHeaders: async () => viewer }));
vi.mock('../../lib/audit/route-audit', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../lib/audit/route-audit')>()),
  dashboardAuditDb: async () => (await import('../../lib/audit/audit-db')).auditDbOf(a.auth),
}));
const route = await import('../../app/api/saved-searches/route');

const BASE = 'http://127.0.0.1:3000';
const url = (q = '') => `${BASE}/api/saved-searches${q}`;
const as = (role: Viewer['role'], id = `u-${role}`): Viewer => ({ id, email: `${id}@example.com`, name: id, role });
const post = (body: unknown) => new Request(url(), { method: 'POST', headers: { origin: BASE, host: '127.0.0.1:3000', 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const del = (id: string) => new Request(url(`?id=${id}`), { method: 'DELETE', headers: { origin: BASE, host: '127.0.0.1:3000' } });
const good = { name: 'denied decrypts', query: 'event.action:Decrypt AND event.outcome:failure', range: { kind: 'preset', preset: '7d' }, columns: ['@timestamp', 'user.name'], shared: true };

describe('/api/saved-searches', () => {
  beforeAll(async () => (a = await freshAuth()));
  afterAll(() => a.close());

  it('lets analysts and admins in, and no one else', async () => {
    viewer = null;
    expect((await route.GET(new Request(url()))).status).toBe(401);
    for (const role of ['viewer', 'executive'] as const) {
      viewer = as(role);
      expect((await route.GET(new Request(url()))).status).toBe(403);
      expect((await route.POST(post(good))).status).toBe(403);
    }
    viewer = as('analyst');
    expect((await route.GET(new Request(url()))).status).toBe(200);
  });

  it('creates (201), lists mine and shared newest first, and a 400 names each wrong field', async () => {
    viewer = as('analyst', 'u-ana');
    const created = await route.POST(post(good));
    expect(created.status).toBe(201);
    const { savedSearch } = (await created.json()) as { savedSearch: { id: string; mine: boolean } };
    expect(savedSearch).toMatchObject({ name: good.name, mine: true, shared: true, columns: good.columns });
    await route.POST(post({ ...good, name: 'later, private', shared: false }));

    viewer = as('analyst', 'u-bob');
    const list = (await (await route.GET(new Request(url()))).json()) as { savedSearches: Array<{ name: string; mine: boolean }> };
    expect(list.savedSearches.map((s) => [s.name, s.mine])).toEqual([[good.name, false]]);

    const bad = await route.POST(post({ ...good, name: '', query: 'user.name:"unclosed', columns: ['nope'] }));
    expect(bad.status).toBe(400);
    const { error } = (await bad.json()) as { error: { code: string; issues: Array<{ path: string; message: string }> } };
    expect(error.code).toBe('invalid_params');
    expect(error.issues.map((i) => i.path).sort()).toEqual(['columns.0', 'name', 'query']);
    expect(error.issues.find((i) => i.path === 'query')!.message).toMatch(/at \d+-\d+/);
    expect((await route.POST(post('not json'))).status).toBe(400);
  });

  it('deletes for the owner or an admin (403 for another analyst), and needs a UUID id', async () => {
    viewer = as('analyst', 'u-ana');
    const { savedSearch } = (await (await route.POST(post({ ...good, name: 'to delete' }))).json()) as { savedSearch: { id: string } };
    viewer = as('analyst', 'u-bob');
    const refused = await route.DELETE(del(savedSearch.id));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect((await route.DELETE(del('not-a-uuid'))).status).toBe(400);
    viewer = as('admin', 'u-root');
    expect((await route.DELETE(del(savedSearch.id))).status).toBe(200);
    expect((await route.DELETE(del(savedSearch.id))).status).toBe(404);
  });

  it('refuses a write from another origin', async () => {
    viewer = as('analyst', 'u-ana');
    const res = await route.POST(new Request(url(), { method: 'POST', headers: { origin: 'http://evil.example', 'content-type': 'application/json' }, body: JSON.stringify(good) }));
    expect(res.status).toBe(403);
  });
});
