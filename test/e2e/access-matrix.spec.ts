import { request as http, type APIRequestContext } from '@playwright/test';
import { ACCESS, decide, type RoutePath } from '../../lib/auth/access';
import { ROLES, type Role } from '../../lib/auth/roles';
import { DATA_RANGE } from './support/dataset';
import { serverUrl } from './support/servers';
import { storageStatePath } from './support/sign-in';
import { expect, test } from './support/fixtures';

/**
 * Generated from lib/auth/access.ts: every declared page and route, asked by every role
 * and by nobody, answers 200, 401 or 403 as the declaration says (test/auth/access-declaration.test.ts
 * makes sure nothing under app/ escapes the declaration). A route that needs parameters
 * to answer 200 gets them here.
 */
const range = `from=${DATA_RANGE.from}&to=${DATA_RANGE.to}`;
const PROBES: Partial<Record<RoutePath, string>> = {
  '/api/auth/[...all]': '/api/auth/get-session',
  '/api/oncall/sli-series': `/api/oncall/sli-series?${range}&sli=unwrap_success`,
  '/api/oncall/slo-status': `/api/oncall/slo-status?sloId=unwrap-success&now=${DATA_RANGE.to}`,
  '/api/oncall/latency-percentiles': `/api/oncall/latency-percentiles?${range}`,
  '/api/oncall/failure-breakdown': `/api/oncall/failure-breakdown?${range}&by=errorClass`,
  '/api/oncall/kms-throttling': `/api/oncall/kms-throttling?${range}`,
  '/api/oncall/ingest-health': `/api/oncall/ingest-health?${range}&now=${DATA_RANGE.to}`,
  '/api/oncall/filter-values': `/api/oncall/filter-values?${range}`,
};
const STATUS = { allow: 200, unauthenticated: 401, forbidden: 403 } as const;

test.describe('route × role matrix', () => {
  test.use({ role: null });

  for (const role of [...ROLES, null] as const) {
    test(`as ${role ?? 'nobody'}`, async () => {
      const api: APIRequestContext = await http.newContext({
        baseURL: serverUrl('data'),
        storageState: role === null ? { cookies: [], origins: [] } : storageStatePath(role as Role),
        maxRedirects: 0,
      });
      const seen: Record<string, number> = {};
      const expected: Record<string, number> = {};
      for (const path of Object.keys(ACCESS) as RoutePath[]) {
        const res = await api.get(PROBES[path] ?? path);
        seen[path] = res.status();
        expected[path] = STATUS[decide(path, role)];
        if (res.status() >= 400) expect(await res.text(), `${path}: no stack trace`).not.toMatch(/\n\s+at .+:\d+:\d+/);
      }
      expect(seen).toEqual(expected);
      await api.dispose();
    });
  }

  test('a state-changing request from another origin, or with none, is refused', async () => {
    const api = await http.newContext({ baseURL: serverUrl('data'), storageState: storageStatePath('admin') });
    const body = { email: 'csrf@example.com', role: 'admin' };
    const cases: Record<string, string>[] = [{ origin: 'http://evil.example' }, {}];
    for (const headers of cases) {
      const res = await api.post('/api/admin/users', { data: body, headers });
      expect(res.status()).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_origin');
    }
    const ok = await api.post('/api/admin/users', { data: { ...body, email: 'same-origin@example.com', role: 'viewer' }, headers: { origin: serverUrl('data') } });
    expect(ok.status()).toBe(201);
    await api.dispose();
  });

  test('pages carry the security headers and a per-request nonce', async () => {
    const api = await http.newContext({ baseURL: serverUrl('data'), storageState: storageStatePath('viewer') });
    const a = await api.get('/rotation');
    const b = await api.get('/rotation');
    const csp = a.headers()['content-security-policy']!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(b.headers()['content-security-policy']).not.toBe(csp);
    expect(a.headers()['x-content-type-options']).toBe('nosniff');
    expect(a.headers()['referrer-policy']).toBe('no-referrer');
    expect(a.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await api.dispose();
  });

  test('/healthz says up or down to anyone, and the details only to an admin', async () => {
    const anon = await http.newContext({ baseURL: serverUrl('data') });
    expect(await (await anon.get('/healthz')).json()).toEqual({ status: 'up' });
    const viewer = await http.newContext({ baseURL: serverUrl('data'), storageState: storageStatePath('viewer') });
    expect(await (await viewer.get('/healthz')).json()).toEqual({ status: 'up' });
    const admin = await http.newContext({ baseURL: serverUrl('brokenStore'), storageState: storageStatePath('admin') });
    const res = await admin.get('/healthz');
    expect(res.status()).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'down', store: { backend: 'sqlite', state: 'error' }, auth: { database: 'ready' } });
    for (const c of [anon, viewer, admin]) await c.dispose();
  });

  test('a store failure reaches the browser as a short message and a request id', async () => {
    const api = await http.newContext({ baseURL: serverUrl('brokenStore'), storageState: storageStatePath('viewer') });
    const res = await api.get(PROBES['/api/oncall/filter-values']!);
    expect(res.status()).toBeGreaterThanOrEqual(500);
    const { error } = (await res.json()) as { error: { message: string; requestId: string } };
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).toContain(error.requestId);
    expect(error.message).not.toMatch(/sqlite|SQLITE|\.db|\/work\//);
    await api.dispose();
  });
});
