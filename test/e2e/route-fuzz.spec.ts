import { request as http } from '@playwright/test';
import fc from 'fast-check';
import { ACCESS, type RoutePath } from '../../lib/auth/access';
import { QUESTION_NAMES } from '../../lib/questions/registry';
import { serverUrl } from './support/servers';
import { storageStatePath } from './support/sign-in';
import { expect, test } from './support/fixtures';

/**
 * Every declared page and route (lib/auth/access.ts), asked by an admin (who passes every
 * guard, so the handler itself is reached) with random query strings, and each route that
 * takes a body with random bodies: no answer is a 500, and none carries a stack trace, a
 * file path or a URL with credentials. better-auth's own endpoints are left out: they are
 * a library's, and their sign-in rate limit is shared by every test of the run.
 */
const SEED = Number(process.env.KEYSCOPE_FUZZ_SEED ?? 20261203);
const RUNS = 12;
const SKIP: readonly RoutePath[] = ['/api/auth/[...all]'];
/** The parameter names the questions read, so that random values reach their validation, not only "unknown key". */
const NAMES = ['from', 'to', 'now', 'sli', 'sloId', 'by', 'limit', 'latest', 'operation', 'range', 'refresh', 'service', 'tenant', 'kekId', 'region', 'filters', 'email', 'role', 'id'];
const value = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', 'null', 'undefined', '-1', '1e309', 'NaN', '9999-12-31T23:59:59Z', '2026-13-45T99:99:99Z', '0000-01-01T00:00:00Z', '[]', '{}', '%00', '../../etc/passwd', "' OR 1=1 --", '<script>alert(1)</script>'),
  fc.integer().map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.string({ minLength: 3000, maxLength: 5000 }),
);
const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...NAMES), fc.string({ minLength: 1, maxLength: 12 })), value), { maxLength: 8 });
const body = fc.oneof(fc.json({ maxDepth: 3 }), fc.string({ maxLength: 200 }), fc.constant(''), fc.constant('{"email":'));

const LEAKS = /\n\s+at .+:\d+:\d+|node_modules|\/work\/|\.tsx?:\d+|:\/\/[^/\s:@]+:[^/\s@]+@/;
const pathOf = (route: string) => route.replace(/\[\.\.\.[^\]]+\]|\[[^\]]+\]/g, 'x');
/** Each declared route as the paths to fuzz: the question route once per question, so every question's validation is reached. */
const targets = (route: RoutePath): string[] => (route === '/api/questions/[name]' ? [...QUESTION_NAMES.map((n) => `/api/questions/${n}`), pathOf(route)] : [pathOf(route)]);

test.describe('fuzz of every route', () => {
  test.use({ role: null });

  for (const route of (Object.keys(ACCESS) as RoutePath[]).filter((r) => !SKIP.includes(r))) {
    for (const path of targets(route)) test(path === pathOf(route) ? route : path, async () => {
      const api = await http.newContext({ baseURL: serverUrl('data'), storageState: storageStatePath('admin'), maxRedirects: 0 });
      const methods: readonly string[] = (ACCESS[route] as { methods?: readonly string[] }).methods ?? ['GET'];
      const bad: string[] = [];
      const check = async (what: string, res: Awaited<ReturnType<typeof api.get>>) => {
        const text = await res.text();
        if (res.status() >= 500 && res.status() !== 503) bad.push(`${what}: ${res.status()}`);
        if (LEAKS.test(text)) bad.push(`${what}: leaks ${LEAKS.exec(text)![0].slice(0, 80)}`);
      };
      await fc.assert(
        fc.asyncProperty(query, body, async (q, b) => {
          const qs = new URLSearchParams(q).toString();
          const url = `${path}${qs ? `?${qs}` : ''}`;
          await check(`GET ${url.slice(0, 200)}`, await api.get(url));
          for (const m of methods.filter((x) => x !== 'GET')) {
            const res = await api.fetch(url, { method: m, data: b, headers: { origin: serverUrl('data'), 'content-type': 'application/json' } });
            await check(`${m} ${url.slice(0, 120)} ${JSON.stringify(b).slice(0, 80)}`, res);
          }
        }),
        { seed: SEED, numRuns: RUNS },
      );
      await api.dispose();
      expect(bad).toEqual([]);
    });
  }
});
