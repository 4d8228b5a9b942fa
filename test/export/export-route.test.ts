import { describe, expect, it, vi } from 'vitest';
import type { Viewer } from '../../lib/auth/next/viewer';
import type { AuditSearchParams } from '../../lib/questions/audit-search/definition';
import { parseCsv, row } from './support';

/** GET /api/export/audit as the route module answers it: the session, the store and the audit log are fakes. */
let viewer: Viewer | null = null;
const all = Array.from({ length: 7 }, (_, i) => row(i));
const asked: AuditSearchParams[] = [];
let storeFails = false;
const audited: Array<{ entry: unknown; actor: string | undefined }> = [];
let auditedOnce: () => void = () => undefined;

vi.mock('server-only', () => ({}));
vi.mock('../../lib/dashboard/server/server-log', () => ({ logFailure: vi.fn() }));
vi.mock('../../lib/auth/next/viewer', () => ({ viewerFromHeaders: async () => viewer }));
vi.mock('../../lib/audit/route-audit', () => ({
  recordRouteAudit: async (ctx: { viewer: Viewer | null }, entry: unknown) => {
    audited.push({ entry, actor: ctx.viewer?.email });
    auditedOnce();
  },
}));
vi.mock('../../lib/dashboard/server/store-access', () => ({
  getReadStore: async () => ({
    answer: async (_q: unknown, p: AuditSearchParams) => {
      asked.push(p);
      if (storeFails) throw new (await import('../../lib/store/types')).StoreError('SQLITE_CORRUPT at /work/x.db');
      const start = p.after === undefined ? 0 : Number(p.after);
      const events = all.slice(start, start + 3);
      return { events, total: null, next: start + 3 < all.length ? String(start + 3) : null };
    },
  }),
}));
const { GET } = await import('../../app/api/export/audit/route');

const url = (q: string) => new Request(`http://127.0.0.1:3000/api/export/audit?${q}`);
const range = 'from=2026-03-02T10:00:00Z&to=2026-03-02T12:00:00Z';
const analyst: Viewer = { id: 'u-ana', email: 'ana@example.com', name: 'Ana', role: 'analyst' };
const nextAudit = () => new Promise<void>((r) => (auditedOnce = r));

describe('GET /api/export/audit', () => {
  it('is for analysts and admins only', async () => {
    viewer = null;
    expect((await GET(url(`format=csv&${range}`))).status).toBe(401);
    for (const role of ['viewer', 'executive'] as const) {
      viewer = { ...analyst, role };
      expect((await GET(url(`format=csv&${range}`))).status).toBe(403);
    }
    expect(asked).toHaveLength(0);
  });

  it('streams CSV of the chosen columns with the cap header, asks auditSearch with the parsed tree, pages of 5000, no total', async () => {
    viewer = analyst;
    asked.length = 0;
    const audit = nextAudit();
    const res = await GET(url(`format=csv&${range}&query=${encodeURIComponent('event.action:Decrypt')}&columns=event.id&columns=EVENT.ACTION`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="keyscope-audit-events.csv"');
    expect(res.headers.get('x-keyscope-row-cap')).toBe('1000000');
    const records = parseCsv(await res.text());
    expect(records[0]).toEqual(['event.id', 'event.action']);
    expect(records.slice(1).map((r) => r[0])).toEqual(all.map((r) => r.id));
    expect(asked.map((p) => p.after)).toEqual([undefined, '3', '6']);
    expect(asked[0]).toMatchObject({ limit: 5000, withTotal: false, query: { kind: expect.any(String) } });
    expect(typeof asked[0]!.query).toBe('object');
    await audit;
    expect(audited.at(-1)).toEqual({
      actor: 'ana@example.com',
      entry: { action: 'export', target: 'audit-events', outcome: 'success', detail: { query: 'event.action:Decrypt', from: '2026-03-02T10:00:00Z', to: '2026-03-02T12:00:00Z', format: 'csv', columns: ['event.id', 'event.action'], rows: 7, ended: 'complete' } },
    });
  });

  it('NDJSON without columns is whole rows', async () => {
    viewer = analyst;
    const audit = nextAudit();
    const res = await GET(url(`format=ndjson&${range}`));
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const lines = (await res.text()).trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual(all);
    await audit;
    expect(audited.at(-1)!.entry).toMatchObject({ detail: { format: 'ndjson', columns: 'all', rows: 7, query: '' } });
  });

  it('400 names each wrong parameter and reads nothing', async () => {
    viewer = analyst;
    asked.length = 0;
    const bad = await GET(url('format=xlsx&from=2026-03-02T10:00:00Z&to=yesterday&columns=nope&limit=5'));
    expect(bad.status).toBe(400);
    const paths = ((await bad.json()) as { error: { issues: Array<{ path: string }> } }).error.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['format', 'columns.0', '(query)']));
    const badQuery = await GET(url(`format=csv&${range}&query=${encodeURIComponent('event.action:(')}`));
    expect(badQuery.status).toBe(400);
    expect(((await badQuery.json()) as { error: { issues: Array<{ path: string; message: string }> } }).error.issues[0]).toMatchObject({ path: 'query', message: expect.stringMatching(/at \d+-\d+/) });
    expect(asked).toHaveLength(0);
  });

  it('a store failure before the first byte is a 503 with no paths, and is audited as a failed export', async () => {
    viewer = analyst;
    storeFails = true;
    const audit = nextAudit();
    const res = await GET(url(`format=csv&${range}`));
    storeFails = false;
    expect(res.status).toBe(503);
    expect(await res.text()).not.toMatch(/SQLITE|\/work\//);
    await audit;
    expect(audited.at(-1)!.entry).toMatchObject({ outcome: 'failure', detail: { ended: 'failed', rows: 0 } });
  });
});
