import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMPTY_CONFIG_FILE } from '../../../lib/config-file';
import { createAuth } from '../../../lib/auth/create-auth';
import { ROLES, type Role } from '../../../lib/auth/roles';
import { createLocalUser } from '../../../lib/auth/users';

/** The shared auth database of the servers global setup starts, and a storage state per role. */
export const AUTH_DB_ENV = 'KEYSCOPE_E2E_AUTH_DB';
export const AUTH_SECRET_ENV = 'KEYSCOPE_E2E_AUTH_SECRET';
const stateEnv = (role: Role) => `KEYSCOPE_E2E_STATE_${role.toUpperCase()}`;

export function authEnv(dbPath: string, secret: string): Record<string, string> {
  return { KEYSCOPE_AUTH_DB: dbPath, KEYSCOPE_AUTH_SECRET: secret };
}

export function newAuthSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Creates the auth database's tables before the servers start (each would otherwise race to). */
export async function prepareAuthDb(dbPath: string, secret: string): Promise<void> {
  const made = createAuth({ dbPath, secret, publicUrl: null, configFile: EMPTY_CONFIG_FILE });
  await made.ready;
  made.db.close();
}

/** Opens the servers' auth database the way the users CLI does (tests add accounts of their own). */
export async function openE2eAuth() {
  const dbPath = process.env[AUTH_DB_ENV];
  const secret = process.env[AUTH_SECRET_ENV];
  if (!dbPath || !secret) throw new Error(`${AUTH_DB_ENV} is not set: run the browser tests with \`npm run test:e2e\``);
  const made = createAuth({ dbPath, secret, publicUrl: null, configFile: EMPTY_CONFIG_FILE });
  await made.ready;
  return made;
}

export function storageStatePath(role: Role): string {
  const path = process.env[stateEnv(role)];
  if (!path) throw new Error(`${stateEnv(role)} is not set: run the browser tests with \`npm run test:e2e\``);
  return path;
}

/** Signs in with email and password over HTTP, as the sign-in form does; the cookies it set. */
export async function signInOverHttp(baseUrl: string, email: string, password: string): Promise<{ name: string; value: string; secure: boolean }[]> {
  const res = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in of ${email} answered ${res.status}: ${await res.text()}`);
  return res.headers.getSetCookie().map((c) => {
    const [pair, ...attributes] = c.split(';');
    const at = pair!.indexOf('=');
    // In production better-auth sets __Secure- cookies (browsers keep them on http://127.0.0.1 too).
    return { name: pair!.slice(0, at), value: pair!.slice(at + 1), secure: attributes.some((a) => a.trim().toLowerCase() === 'secure') };
  });
}

/**
 * One account per role in the shared auth database, each signed in once; its cookies saved
 * as a Playwright storage state (cookies are per host, not per port: one state serves every server).
 */
export async function seedRoleSessions(runDir: string, dbPath: string, secret: string, baseUrl: string): Promise<void> {
  const made = createAuth({ dbPath, secret, publicUrl: null, configFile: EMPTY_CONFIG_FILE });
  await made.ready;
  process.env[AUTH_DB_ENV] = dbPath;
  process.env[AUTH_SECRET_ENV] = secret;
  for (const role of ROLES) {
    const { user, password } = await createLocalUser(made.auth, { email: `${role}@e2e.keyscope.test`, role });
    const cookies = await signInOverHttp(baseUrl, user.email, password);
    const file = join(runDir, `state-${role}.json`);
    const host = new URL(baseUrl).hostname;
    writeFileSync(file, JSON.stringify({
      cookies: cookies.map((c) => ({ ...c, domain: host, path: '/', expires: -1, httpOnly: true, sameSite: 'Lax' })),
      origins: [],
    }));
    process.env[stateEnv(role)] = file;
  }
  made.db.close();
}
