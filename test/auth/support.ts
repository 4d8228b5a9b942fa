import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMPTY_CONFIG_FILE, type ConfigFile } from '../../lib/config-file';
import { createAuth } from '../../lib/auth/create-auth';

export const BASE = 'http://127.0.0.1:3999';

/** A fresh auth database in its own directory, and a helper to call its HTTP API. */
export async function freshAuth(configFile: ConfigFile = EMPTY_CONFIG_FILE) {
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-auth-'));
  const made = createAuth({ dbPath: join(dir, 'auth.db'), secret: 'test-secret-test-secret-test-secret-0123', publicUrl: BASE, configFile });
  await made.ready;
  const call = (path: string, init: { method?: string; body?: unknown; cookie?: string } = {}) =>
    made.auth.handler(new Request(`${BASE}/api/auth${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { 'content-type': 'application/json', origin: BASE, ...(init.cookie ? { cookie: init.cookie } : {}) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    }));
  return {
    ...made,
    call,
    close: () => {
      made.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The session cookie a response sets, as a Cookie header. */
export function cookieOf(res: Response): string {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}
