import { request as http, type APIRequestContext } from '@playwright/test';
import { ACCESS, decide, decideAudience, type RoutePath } from '../../lib/auth/access';
import { ROLES, type Role } from '../../lib/auth/roles';
import { QUESTIONS, QUESTION_NAMES, type QuestionName } from '../../lib/questions/registry';
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
  // A query that matches nothing: the probe does not download the dataset.
  '/api/export/audit': `/api/export/audit?format=csv&${range}&query=event.id:no-such-event`,
};
/**
 * Every question is probed (QUESTION_NAMES); one that needs more than the data range to
 * answer 200 has its parameters here, so a new question that 400s on the range alone fails
 * the matrix until it is given them.
 */
const QUESTION_PROBES: Partial<Record<QuestionName, string>> = {
  sliSeries: `${range}&sli=unwrap_success`,
  sloStatus: `sloId=unwrap-success&now=${DATA_RANGE.to}`,
  latencyPercentiles: range,
  failureBreakdown: `${range}&by=errorClass`,
  kmsThrottling: range,
  ingestHealth: `${range}&now=${DATA_RANGE.to}`,
  filterValues: range,
  auditEvent: 'id=no-such-event',
  auditFieldValues: `${range}&field=event.action`,
  keyDetail: `${range}&keyArn=x`,
  keyUsage: `${range}&keyArn=x`,
  principalDetail: `${range}&principal=x&now=${DATA_RANGE.to}`,
};
const questionUrl = (name: QuestionName) => `/api/questions/${name}?${QUESTION_PROBES[name] ?? range}`;
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
      const probes: Array<[string, string, number]> = [];
      for (const path of Object.keys(ACCESS) as RoutePath[]) {
        if (path === '/api/questions/[name]') continue;
        probes.push([path, PROBES[path] ?? path, STATUS[decide(path, role)]]);
      }
      // The question route: the route's guard (a session), then each question's own audience.
      for (const name of QUESTION_NAMES) {
        const d = decide('/api/questions/[name]', role);
        probes.push([`question ${name}`, questionUrl(name), STATUS[d === 'allow' ? decideAudience(QUESTIONS[name].audience, role) : d]]);
      }
      probes.push(['question that does not exist', `/api/questions/noSuchQuestion?${range}`, role === null ? 401 : 404]);
      for (const [what, url, status] of probes) {
        const res = await api.get(url);
        seen[what] = res.status();
        expected[what] = status;
        if (res.status() >= 400) expect(await res.text(), `${what}: no stack trace`).not.toMatch(/\n\s+at .+:\d+:\d+/);
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
    const res = await api.get(questionUrl('filterValues'));
    expect(res.status()).toBeGreaterThanOrEqual(500);
    const { error } = (await res.json()) as { error: { message: string; requestId: string } };
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).toContain(error.requestId);
    expect(error.message).not.toMatch(/sqlite|SQLITE|\.db|\/work\//);
    await api.dispose();
  });
});
