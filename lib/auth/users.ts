import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { auditDbOf } from '../audit/audit-db';
import { cliActor, recordAudit, type AuditActor } from '../audit/audit-log';
import type { KeyscopeAuth } from './create-auth';
import { isRole, RoleSchema, type Role } from './roles';

/**
 * Users as an admin manages them (the admin users page and `npm run users`). Local
 * accounts are made here, never by sign-up; OIDC users appear at their first sign-in and
 * take their role from their groups, so their role is not set here.
 */
export const NewLocalUserSchema = z
  .object({
    email: z.email().max(254).transform((e) => e.toLowerCase()),
    name: z.string().trim().min(1).max(100).optional(),
    role: RoleSchema,
    /** Omitted: a random one is made and returned once. */
    password: z.string().min(12, 'at least 12 characters').max(128).optional(),
  })
  .strict();
export type NewLocalUser = z.input<typeof NewLocalUserSchema>;

export type UserSummary = { id: string; email: string; name: string; role: Role | null; signIn: 'local' | string; createdAt: string };

export class UserError extends Error {
  override readonly name = 'UserError';
}

export const LOCAL_PROVIDER = 'credential';

export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

export async function createLocalUser(auth: KeyscopeAuth, input: NewLocalUser, by: AuditActor = cliActor()): Promise<{ user: UserSummary; password: string }> {
  const u = NewLocalUserSchema.parse(input);
  const ctx = await auth.$context;
  if (await ctx.internalAdapter.findUserByEmail(u.email)) throw new UserError(`a user with email ${u.email} already exists`);
  const password = u.password ?? generatePassword();
  const now = new Date();
  const created = await ctx.adapter.create<Record<string, unknown>, { id: string; createdAt: Date }>({
    model: 'user',
    data: { email: u.email, name: u.name ?? u.email.split('@')[0]!, emailVerified: false, role: u.role, createdAt: now, updatedAt: now },
  });
  await ctx.adapter.create({
    model: 'account',
    data: { providerId: LOCAL_PROVIDER, accountId: created.id, userId: created.id, password: await ctx.password.hash(password), createdAt: now, updatedAt: now },
  });
  recordAudit(auditDbOf(auth), { by, action: 'user.create', target: `user:${u.email}`, detail: { userId: created.id, role: u.role, signIn: 'local' } });
  return { user: { id: created.id, email: u.email, name: u.name ?? u.email.split('@')[0]!, role: u.role, signIn: 'local', createdAt: now.toISOString() }, password };
}

type UserRow = { id: string; email: string; name: string; role?: string | null; createdAt: Date };
type AccountRow = { userId: string; providerId: string };

export async function listUsers(auth: KeyscopeAuth): Promise<UserSummary[]> {
  const ctx = await auth.$context;
  const users = await ctx.adapter.findMany<UserRow>({ model: 'user', sortBy: { field: 'createdAt', direction: 'asc' } });
  const accounts = await ctx.adapter.findMany<AccountRow>({ model: 'account' });
  const signIn = new Map(accounts.map((a) => [a.userId, a.providerId === LOCAL_PROVIDER ? 'local' : a.providerId]));
  return users.map((u) => ({
    id: u.id, email: u.email, name: u.name, role: isRole(u.role) ? u.role : null, signIn: signIn.get(u.id) ?? 'none', createdAt: new Date(u.createdAt).toISOString(),
  }));
}

/** Only local accounts: an OIDC user's role comes from their groups at every sign-in. */
export async function setLocalRole(auth: KeyscopeAuth, email: string, role: Role, by: AuditActor = cliActor()): Promise<void> {
  const ctx = await auth.$context;
  const found = await ctx.internalAdapter.findUserByEmail(email.toLowerCase(), { includeAccounts: true });
  if (!found) throw new UserError(`no user with email ${email}`);
  if (!found.accounts.some((a) => a.providerId === LOCAL_PROVIDER)) {
    throw new UserError(`${email} signs in through an identity provider: change their groups there (or the mapping in the config file)`);
  }
  await ctx.internalAdapter.updateUser(found.user.id, { role });
  const from: unknown = (found.user as { role?: unknown }).role;
  recordAudit(auditDbOf(auth), { by, action: 'user.role', target: `user:${found.user.email}`, detail: { userId: found.user.id, from: isRole(from) ? from : null, to: role } });
  // Sessions read the role from the user at every request: no session needs revoking.
}

export async function hasAnyUser(auth: KeyscopeAuth): Promise<boolean> {
  const ctx = await auth.$context;
  return (await ctx.adapter.count({ model: 'user' })) > 0;
}

/** A new random password for a local account (the demo's admin on `--keep`); returned once. */
export async function resetLocalPassword(auth: KeyscopeAuth, email: string, by: AuditActor = cliActor()): Promise<string> {
  const ctx = await auth.$context;
  const found = await ctx.internalAdapter.findUserByEmail(email.toLowerCase(), { includeAccounts: true });
  if (!found || !found.accounts.some((a) => a.providerId === LOCAL_PROVIDER)) throw new UserError(`no local account with email ${email}`);
  const password = generatePassword();
  await ctx.internalAdapter.updatePassword(found.user.id, await ctx.password.hash(password));
  recordAudit(auditDbOf(auth), { by, action: 'user.password-reset', target: `user:${found.user.email}`, detail: { userId: found.user.id } });
  return password;
}
