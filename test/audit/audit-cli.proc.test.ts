import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDIT_TABLE } from '../../lib/audit/audit-log';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'keyscope-audit-cli-'));
const authDb = join(dir, 'auth.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npm run <script> -- ...args` as an operator runs it, on this test's auth database. */
function run(script: 'audit' | 'tokens', ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], { cwd: ROOT, env: { ...process.env, KEYSCOPE_AUTH_DB: authDb }, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run audit', () => {
  it('lists what the tokens CLI did, exports CSV and NDJSON, verifies, and finds an edited row', async () => {
    expect((await run('tokens', 'create', '--name', 'billing', '--service', 'billing')).code).toBe(0);
    expect((await run('tokens', 'revoke', 'billing')).code).toBe(0);

    const list = await run('audit', 'list', '--json');
    const rows = JSON.parse(list.stdout) as Array<{ action: string; actor: string }>;
    expect(rows.map((r) => r.action)).toEqual(['token.revoke', 'token.create']);
    expect(new Set(rows.map((r) => r.actor))).toEqual(new Set([`cli:${userInfo().username}`]));
    expect((await run('audit', 'list', '--action', 'token.create')).stdout.trim().split('\n')).toHaveLength(1);
    expect((await run('audit', 'list', '--since', 'yesterday')).stderr).toMatch(/since: .*datetime/i);

    const csv = (await run('audit', 'export', '--format', 'csv', '--action', 'token.create')).stdout.trim().split('\r\n');
    expect(csv[0]).toBe('seq,time,actor,actorId,role,action,target,outcome,requestId,sourceIp,detail,prevSha256,sha256');
    expect(csv.slice(1).map((l) => l.split(',')[5])).toEqual(['token.create']);
    // Each export is audited: the NDJSON export sees the CSV export before it.
    const ndjson = (await run('audit', 'export', '--format', 'ndjson')).stdout.trim().split('\n').map((l) => JSON.parse(l) as { action: string; detail: unknown });
    expect(ndjson.map((r) => r.action)).toEqual(['token.create', 'token.revoke', 'export', 'export']);
    expect(ndjson[2]!.detail).toEqual({ format: 'csv', filter: { action: 'token.create' } });

    const ok = await run('audit', 'verify');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok: 4 entries, chain intact; head [0-9a-f]{64}/);

    const db = new Database(authDb);
    db.exec(`DROP TRIGGER ${AUDIT_TABLE}_no_update`);
    db.prepare(`UPDATE ${AUDIT_TABLE} SET actor = 'someone-else' WHERE seq = 1`).run();
    db.close();
    const broken = await run('audit', 'verify');
    expect(broken.code).toBe(3);
    expect(broken.stdout).toMatch(/^BROKEN at entry 1: row 1 was changed/);
  });
});
