import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The secret that signs session cookies: KEYSCOPE_AUTH_SECRET, or a random one made once
 * and kept (mode 0600) beside the auth database, so the dashboard and the users CLI agree
 * and a restart keeps everyone signed in.
 */
export function resolveAuthSecret(configured: string | null, dbPath: string): string {
  if (configured !== null) return configured;
  const file = join(dirname(dbPath), 'auth-secret');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    // 'wx': two processes starting at once cannot overwrite each other's secret.
    try {
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return readFileSync(file, 'utf8').trim();
}
