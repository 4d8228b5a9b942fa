import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openTokenAdminDb } from '../../lib/auth/emitter-token-db';
import { createEmitterToken } from '../../lib/auth/emitter-tokens';
import { IntakeHttpSink } from '../../lib/engine/sinks/intake-http-sink';
import { makeOperation } from '../support/event-fixtures';
import { query } from './support/db';
import { collect, logLines, spawnIngest } from './support/ingest-child';

/*
 * Issue 13, "Done when": 20 concurrent 8 MiB gzip bodies that inflate to 64 MiB each,
 * against the real `ingest serve` with its default limits. Some get 429, the service stays
 * up, its peak RSS (VmHWM) stays under 512 MiB, and an honest request sent meanwhile is stored.
 */
const MIB = 1024 * 1024;
const CONCURRENT = 20;
const dir = mkdtempSync(join(tmpdir(), 'keyscope-abuse-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Valid operations in the abuser's scope; a random object id per line keeps gzip near 8:1. */
function bombBody(): { gzip: Buffer; inflated: number; lines: number } {
  const target = 64 * MIB - 256 * 1024;
  const principal = `arn:aws:sts::111122223333:assumed-role/billing/${'x'.repeat(1200)}`;
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; ; i++) {
    const line = `${JSON.stringify({ ...makeOperation(i), time: new Date(Date.now() - 60_000).toISOString(), id: randomUUID(), tenant: 'acme', objectId: randomBytes(186).toString('base64url'), principal })}\n`;
    if (size + line.length > target) break;
    parts.push(line);
    size += line.length;
  }
  return { gzip: gzipSync(Buffer.from(parts.join(''))), inflated: size, lines: parts.length };
}

function vmHwmKiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]);
}

describe('intake under abuse (process)', () => {
  it('20 concurrent 64 MiB gzip bombs: some 429, the service stays up under 512 MiB peak RSS, an honest request is stored', async () => {
    const authDb = join(dir, 'auth.db');
    const admin = openTokenAdminDb(authDb);
    const abuser = createEmitterToken(admin, { name: 'abuser', services: ['billing'] }, 'test').token;
    const honest = createEmitterToken(admin, { name: 'honest', services: ['billing-honest'] }, 'test').token;
    admin.close();
    const body = bombBody();
    expect(body.gzip.length).toBeLessThanOrEqual(8 * MIB);
    expect(body.gzip.length).toBeGreaterThan(7.5 * MIB);
    expect(body.inflated).toBeGreaterThan(63 * MIB);

    const dbPath = join(dir, 'keyscope.db');
    const child = spawnIngest(['serve', '--db', dbPath], { KEYSCOPE_AUTH_DB: authDb, KEYSCOPE_INTAKE_PORT: '0', KEYSCOPE_LOG_LEVEL: 'info' });
    const exited = collect(child);
    const log = logLines(child);
    try {
      const started = await log.until((l) => l.msg === 'ingest service started');
      const url = started.url as string;
      expect(started.tokensRequired).toBe(true);

      let pending = CONCURRENT;
      let firstRefusal: () => void = () => undefined;
      const refused = new Promise<void>((resolve) => (firstRefusal = resolve));
      const bombs = Array.from({ length: CONCURRENT }, async () => {
        const res = await fetch(`${url}/v1/operations`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip', authorization: `Bearer ${abuser}` },
          body: new Uint8Array(body.gzip),
        }).catch((err: unknown) => ({ status: 0, headers: new Headers(), text: async () => String(err) }));
        const text = await res.text();
        pending -= 1;
        if (res.status === 429) firstRefusal();
        return { status: res.status, retryAfter: res.headers.get('retry-after'), text };
      });

      // The honest emitter writes once the first bomb has been refused, while the others are still in flight.
      await refused;
      const pendingAtHonest = pending;
      const sink = new IntakeHttpSink({ url, token: honest, flushIntervalMs: 1 });
      const op = { ...makeOperation(1), service: 'billing-honest', time: new Date(Date.now() - 30_000).toISOString() };
      sink.writeOperation(op);
      await sink.close();
      const honestStats = sink.stats();
      const results = await Promise.all(bombs);

      const statuses: Record<number, number> = {};
      for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      const peak = vmHwmKiB(child.pid!);
      const health = await fetch(`${url}/healthz`);
      process.stdout.write(
        `[abuse] ${CONCURRENT} × ${(body.gzip.length / MIB).toFixed(2)} MiB gzip → ${(body.inflated / MIB).toFixed(2)} MiB (${body.lines} lines) each; ` +
        `statuses ${JSON.stringify(statuses)}; honest request sent with ${pendingAtHonest} bombs in flight, stored after ${honestStats.requests} request(s); ` +
        `ingest serve peak RSS (VmHWM) ${(peak / 1024).toFixed(1)} MiB\n`,
      );

      expect(statuses[429]).toBeGreaterThan(0);
      for (const r of results.filter((x) => x.status === 429)) expect(r.retryAfter).toMatch(/^\d+$/);
      expect(Object.keys(statuses).every((s) => s === '200' || s === '429')).toBe(true);
      expect(pendingAtHonest).toBeGreaterThan(0);
      expect(honestStats).toMatchObject({ sent: 1, dropped: 0, rejected: 0 });
      expect(query(dbPath, "SELECT COUNT(*) AS n FROM key_operations k JOIN dict s ON s.id = k.service_id WHERE s.value = 'billing-honest'")).toEqual([{ n: 1 }]);
      expect(health.status).toBe(200);
      expect(peak).toBeLessThan(512 * 1024);
    } finally {
      child.kill('SIGTERM');
      const end = await exited;
      expect(end.code).toBe(0);
    }
  }, 240_000);
});
