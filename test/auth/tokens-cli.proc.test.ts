import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findSecrets } from '../support/secret-scan';
import { tokenSecretOf } from '../support/token-secret';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'keyscope-tokens-cli-'));
const authDb = join(dir, 'auth.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npm run tokens -- ...args`, as an admin runs it. */
function tokens(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/tokens.ts', ...args], { cwd: ROOT, env: { ...process.env, KEYSCOPE_AUTH_DB: authDb }, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

type Listed = { id: string; name: string; services: string[]; tenants: string[] | null; revokedAt: string | null };

describe('npm run tokens', () => {
  it('creates (printing the token once), lists (never the token) and revokes', async () => {
    const created = await tokens('create', '--name', 'billing', '--service', 'billing', '--service', 'billing-export', '--tenant', 'acme', '--json');
    expect(created.code).toBe(0);
    const { token, summary } = JSON.parse(created.stdout) as { token: string; summary: Listed };
    expect(token).toMatch(/^kse_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(summary).toMatchObject({ name: 'billing', services: ['billing', 'billing-export'], tenants: ['acme'], revokedAt: null });

    const human = await tokens('create', '--name', 'payments', '--service', 'payments');
    expect(human.stdout).toMatch(/^created [0-9a-f]{16}\tpayments\tservices=payments\ttenants=\*\tactive/);
    expect(human.stdout).toMatch(/token \(shown only now.*\): kse_/);

    const list = await tokens('list', '--json');
    const listed = JSON.parse(list.stdout) as Listed[];
    expect(listed.map((t) => [t.name, t.revokedAt])).toEqual([['billing', null], ['payments', null]]);
    expect(list.stdout).not.toContain(tokenSecretOf(token));

    const again = await tokens('create', '--name', 'billing', '--service', 'billing');
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('tokens: an active token named billing exists: revoke it first, or choose another name\n');

    const revoked = await tokens('revoke', 'billing');
    expect(revoked).toMatchObject({ code: 0, stdout: `revoked ${summary.id} (billing)\n` });
    const after = JSON.parse((await tokens('list', '--json')).stdout) as Listed[];
    expect(after.find((t) => t.id === summary.id)!.revokedAt).toMatch(/^\d{4}-/);
    expect((await tokens('revoke', summary.id)).stderr).toMatch(/was already revoked/);

    // The database keeps a hash: the secret is nowhere in its files.
    const files = new Map([['auth.db', readFileSync(authDb)], ['auth.db-wal', readFileSync(`${authDb}-wal`)]]);
    expect(findSecrets(files, [Buffer.from(token), Buffer.from(tokenSecretOf(token), 'base64url')])).toEqual([]);
  });

  it('refuses a token without a service, naming the rule', async () => {
    const res = await tokens('create', '--name', 'x');
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/service/);
  });
});
