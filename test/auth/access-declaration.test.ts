import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCESS, decide } from '../../lib/auth/access';
import { ROLES } from '../../lib/auth/roles';

const APP = join(process.cwd(), 'app');

/** Every page.tsx and route.ts under app/, as the route path it serves. */
function appRoutes(dir = APP): { path: string; file: string; kind: 'page' | 'api' }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return appRoutes(full);
    if (e.name !== 'page.tsx' && e.name !== 'route.ts') return [];
    const segments = relative(APP, dir).split(sep).filter((s) => s !== '' && !/^\(.*\)$/.test(s));
    return [{ path: `/${segments.join('/')}`, file: full, kind: e.name === 'page.tsx' ? 'page' as const : 'api' as const }];
  });
}

describe('the access declaration (lib/auth/access.ts)', () => {
  const routes = appRoutes();

  it('declares every page and route under app/, and nothing that does not exist', () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.map((r) => r.path).sort()).toEqual(Object.keys(ACCESS).sort());
    for (const r of routes) expect(ACCESS[r.path as keyof typeof ACCESS].kind, r.path).toBe(r.kind);
  });

  it('each page and handler checks its own declaration on the server', () => {
    for (const r of routes) {
      const text = readFileSync(r.file, 'utf8');
      const call = r.kind === 'page' ? `guardPage('${r.path}')` : `guardRoute('${r.path}'`;
      expect(text.includes(call), `${relative(process.cwd(), r.file)} must call ${call}`).toBe(true);
      if (r.kind === 'api') {
        // Every exported method goes through guardRoute: no bare `export async function GET`.
        expect(text, r.file).not.toMatch(/export (async )?function (GET|POST|PUT|PATCH|DELETE)/);
        for (const m of text.matchAll(/export const (GET|POST|PUT|PATCH|DELETE) = (\w+)\(/g)) expect(m[2], `${r.file} ${m[1]}`).toBe('guardRoute');
      }
    }
  });

  it('a segment with loading.tsx checks in its layout too, so a refusal is a real 401/403', () => {
    for (const r of routes.filter((x) => x.kind === 'page')) {
      const dir = r.file.slice(0, -'page.tsx'.length);
      let hasLoading = false;
      try {
        hasLoading = readdirSync(dir).includes('loading.tsx');
      } catch {
        // no directory listing: no loading.tsx
      }
      if (hasLoading) expect(readFileSync(join(dir, 'layout.tsx'), 'utf8')).toContain(`guardPage('${r.path}')`);
    }
  });

  it('roles see what the issue says', () => {
    expect(decide('/oncall', 'viewer')).toBe('allow');
    expect(decide('/oncall', 'executive')).toBe('forbidden');
    expect(decide('/posture', 'executive')).toBe('allow');
    expect(decide('/security', 'viewer')).toBe('forbidden');
    expect(decide('/blast-radius', 'analyst')).toBe('allow');
    expect(decide('/admin/users', 'analyst')).toBe('forbidden');
    for (const role of ROLES) expect(decide('/admin/users', role)).toBe(role === 'admin' ? 'allow' : 'forbidden');
    for (const path of Object.keys(ACCESS) as (keyof typeof ACCESS)[]) {
      expect(decide(path, 'admin'), path).toBe('allow');
      expect(decide(path, null), path).toBe(ACCESS[path].allow === 'public' ? 'allow' : 'unauthenticated');
    }
  });
});
