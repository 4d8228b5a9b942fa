import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { genericOAuth } from 'better-auth/plugins/generic-oauth';
import { registerAuditDb } from '../audit/audit-db';
import { signInAuditHook } from '../audit/sign-in-audit';
import type { ConfigFile } from '../config-file';
import { oidcRoleHooks } from './oidc-role';
import { expectedOrigin } from './origin-check';

export type AuthSettings = {
  /** The auth database (users, accounts, sessions): its own SQLite file. */
  dbPath: string;
  secret: string;
  /** The dashboard's address as browsers see it; inferred per request when null. */
  publicUrl: string | null;
  configFile: ConfigFile;
};

/** Where better-auth answers: app/api/auth/[...all]/route.ts. */
export const AUTH_BASE_PATH = '/api/auth';

/**
 * keyscope's better-auth: local email+password accounts that only an admin creates
 * (sign-up off), and one generic OAuth (PKCE) provider per OIDC entry of the config file.
 * `role` is a user field no request body can set (input: false); OIDC sign-ins get theirs
 * from the groups claim (oidc-role.ts), local accounts from the admin who made them.
 */
export function createAuth(s: AuthSettings) {
  mkdirSync(dirname(s.dbPath), { recursive: true });
  const db = new Database(s.dbPath);
  // Password hashes and session tokens: readable by keyscope's user only.
  chmodSync(s.dbPath, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  const providers = s.configFile.auth.oidc;
  const roles = oidcRoleHooks(providers);
  const options = {
    appName: 'keyscope',
    basePath: AUTH_BASE_PATH,
    ...(s.publicUrl === null ? {} : { baseURL: s.publicUrl }),
    // The one origin allowed to post: the same rule as proxy.ts and guardRoute (origin-check.ts).
    trustedOrigins: (request?: Request) => [request ? expectedOrigin(request.url, request.headers.get('host'), s.publicUrl) : s.publicUrl],
    secret: s.secret,
    database: db,
    telemetry: { enabled: false },
    // Warnings (an inferred base URL, a shared rate-limit bucket) are the documented defaults; errors still show.
    logger: { level: 'error' },
    emailAndPassword: { enabled: s.configFile.auth.localAccounts, disableSignUp: true, minPasswordLength: 12 },
    user: {
      additionalFields: { role: { type: 'string', required: false, input: false } },
      validateUserInfo: roles.validateUserInfo,
    },
    // An IdP identity never takes over an existing (break-glass) account with the same email.
    account: { accountLinking: { enabled: false } },
    databaseHooks: {
      user: { create: { before: roles.beforeUserCreate } },
      session: { create: { before: roles.beforeSessionCreate } },
    },
    // Every sign-in attempt, successful or not, goes to keyscope's audit log (lib/audit).
    hooks: { after: signInAuditHook(db) },
    // Without a trusted proxy there is no client address: one shared bucket per path.
    rateLimit: { enabled: true, window: 60, max: 300, customRules: { '/sign-in/email': { window: 60, max: 20 } } },
    onAPIError: { errorURL: '/sign-in' },
    plugins: providers.length === 0 ? [] : [
      genericOAuth({
        config: providers.map((p) => ({
          providerId: p.id,
          name: p.name,
          discoveryUrl: p.discoveryUrl,
          clientId: p.clientId,
          ...(p.clientSecret === undefined ? {} : { clientSecret: p.clientSecret }),
          scopes: p.scopes,
          pkce: true,
          requireIdTokenVerification: true,
          // Refresh name and email at every sign-in (the role is refreshed by oidc-role.ts).
          overrideUserInfo: true,
        })),
      }),
    ],
  } satisfies Parameters<typeof betterAuth>[0];
  const auth = betterAuth(options);
  registerAuditDb(auth, db);
  // Tables are created (or new columns added) once per process, before the first request.
  // Another process (a second server, the users CLI) may migrate the same file at the same
  // moment: a failed attempt is planned again once, which then finds the other's tables.
  const migrate = () => getMigrations(options).then((m) => m.runMigrations());
  const ready = migrate().catch(() => migrate());
  return { auth, ready, db };
}

export type KeyscopeAuth = ReturnType<typeof createAuth>['auth'];
