/**
 * `npm run users -- <command>`: local accounts in the auth database (KEYSCOPE_AUTH_DB).
 *   create --email a@b.c --role analyst [--name N] [--password-stdin]   prints a generated password unless one is piped in
 *   list                                                                 every user, their role and how they sign in
 *   set-role --email a@b.c --role admin                                  local accounts only (SSO roles come from groups)
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { ConfigError } from '../lib/config';
import { getAuth } from '../lib/auth/keyscope-auth';
import { ROLES, type Role } from '../lib/auth/roles';
import { createLocalUser, listUsers, setLocalRole, UserError } from '../lib/auth/users';

const roleOption = () => new Option('--role <role>', 'viewer, analyst, admin or executive').choices(ROLES).makeOptionMandatory();
const program = new Command('users').description('Manage keyscope sign-in accounts (auth database: KEYSCOPE_AUTH_DB)');

program
  .command('create')
  .description('create a local account (email and password)')
  .requiredOption('--email <email>', 'the account email')
  .addOption(roleOption())
  .option('--name <name>', 'display name (default: the part before @)')
  .option('--password-stdin', 'read the password from stdin instead of generating one')
  .option('--json', 'print the account (and generated password) as JSON')
  .action(async (o: { email: string; role: Role; name?: string; passwordStdin?: boolean; json?: boolean }) => {
    const password = o.passwordStdin ? readFileSync(0, 'utf8').trim() : undefined;
    const created = await createLocalUser(await getAuth(), { email: o.email, role: o.role, ...(o.name ? { name: o.name } : {}), ...(password ? { password } : {}) });
    if (o.json) process.stdout.write(`${JSON.stringify(o.passwordStdin ? { user: created.user } : created)}\n`);
    else process.stdout.write(`created ${created.user.email} (${created.user.role})${o.passwordStdin ? '' : `; password: ${created.password}`}\n`);
  });

program
  .command('list')
  .description('list users')
  .option('--json', 'as JSON')
  .action(async (o: { json?: boolean }) => {
    const users = await listUsers(await getAuth());
    if (o.json) process.stdout.write(`${JSON.stringify(users)}\n`);
    else for (const u of users) process.stdout.write(`${u.email}\t${u.role ?? '-'}\t${u.signIn}\t${u.createdAt}\n`);
  });

program
  .command('set-role')
  .description("change a local account's role")
  .requiredOption('--email <email>', 'the account email')
  .addOption(roleOption())
  .action(async (o: { email: string; role: Role }) => {
    await setLocalRole(await getAuth(), o.email, o.role);
    process.stdout.write(`${o.email} is now ${o.role}\n`);
  });

program.parseAsync().catch((err: unknown) => {
  const known = err instanceof UserError || err instanceof ConfigError || (err instanceof Error && err.name === 'ZodError');
  process.stderr.write(`users: ${known ? (err as Error).message : String(err)}\n`);
  process.exit(known ? 2 : 1);
});
