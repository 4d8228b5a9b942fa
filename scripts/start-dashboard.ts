/**
 * `npm start`: `next start` on KEYSCOPE_DASHBOARD_HOST:PORT (127.0.0.1:3000 by default).
 * Another address is refused until someone can sign in: an OIDC provider in the config
 * file, or a local account in the auth database (`npm run users -- create`).
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { loadConfig } from '../lib/config';
import { loadConfigFile } from '../lib/config-file';
import { getAuth } from '../lib/auth/keyscope-auth';
import { hasAnyUser } from '../lib/auth/users';
import { assertBindAllowed, isLoopbackHost } from '../lib/net/bind-policy';

async function main(): Promise<void> {
  const config = loadConfig();
  const { host, port } = config.dashboard;
  if (!isLoopbackHost(host)) {
    const file = loadConfigFile(config.auth.configFile);
    const signInConfigured = file.auth.oidc.length > 0 || (file.auth.localAccounts && (await hasAnyUser(await getAuth(config))));
    assertBindAllowed({ what: 'the dashboard', host, setting: 'KEYSCOPE_DASHBOARD_HOST', signInConfigured, signIn: 'an OIDC provider (KEYSCOPE_CONFIG) or a local account (npm run users -- create)' });
  }
  const next = join(resolve(import.meta.dirname, '..'), 'node_modules', 'next', 'dist', 'bin', 'next');
  const child = spawn(process.execPath, [next, 'start', '-H', host, '-p', String(port)], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((err: unknown) => {
  process.stderr.write(`keyscope: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
