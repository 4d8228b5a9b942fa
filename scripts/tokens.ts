/**
 * `npm run tokens -- <command>`: emitter tokens for the ingest intake, in the auth database (KEYSCOPE_AUTH_DB).
 *   create --name billing --service billing [--service b2] [--tenant acme ...]   prints the token once
 *   list                                                                          every token, its scope and state
 *   revoke <id-or-name>                                                           the intake refuses it at its next request
 */
import { Command } from 'commander';
import { ZodError } from 'zod';
import { ConfigError, loadConfig } from '../lib/config';
import { cliActor } from '../lib/audit/audit-log';
import { openTokenAdminDb } from '../lib/auth/emitter-token-db';
import { createEmitterToken, EmitterTokenError, listEmitterTokens, revokeEmitterToken, type EmitterTokenSummary } from '../lib/auth/emitter-tokens';

const program = new Command('tokens').description('Manage emitter tokens for the ingest intake (auth database: KEYSCOPE_AUTH_DB)');
const collectValues = (v: string, all: string[]) => [...all, v];
const db = () => openTokenAdminDb(loadConfig().auth.dbPath);
/** Who ran the command (`cli:<os user>`): the created-by and revoked-by columns and the audit log. */
const operator = cliActor;

function line(t: EmitterTokenSummary): string {
  const state = t.revokedAt === null ? 'active' : `revoked ${t.revokedAt}`;
  return `${t.id}\t${t.name}\tservices=${t.services.join(',')}\ttenants=${t.tenants?.join(',') ?? '*'}\t${state}\tcreated ${t.createdAt}`;
}

program
  .command('create')
  .description('create a token scoped to services (and optionally tenants); the token is printed once')
  .requiredOption('--name <name>', 'what the token is for (unique among active tokens)')
  .requiredOption('--service <service>', 'a service it may write (repeat for several)', collectValues, [])
  .option('--tenant <tenant>', 'a tenant it may write (repeat; default: any tenant)', collectValues, [])
  .option('--json', 'print the token and its summary as JSON')
  .action((o: { name: string; service: string[]; tenant: string[]; json?: boolean }) => {
    const created = createEmitterToken(db(), { name: o.name, services: o.service, tenants: o.tenant }, operator());
    if (o.json) process.stdout.write(`${JSON.stringify(created)}\n`);
    else {
      process.stdout.write(`created ${line(created.summary)}\n`);
      process.stdout.write(`token (shown only now; the emitter sends it as Authorization: Bearer): ${created.token}\n`);
    }
  });

program
  .command('list')
  .description('list tokens (never their secrets)')
  .option('--json', 'as JSON')
  .action((o: { json?: boolean }) => {
    const tokens = listEmitterTokens(db());
    if (o.json) process.stdout.write(`${JSON.stringify(tokens)}\n`);
    else for (const t of tokens) process.stdout.write(`${line(t)}\n`);
  });

program
  .command('revoke')
  .description('revoke a token by id or by the name of an active token')
  .argument('<id-or-name>')
  .action((idOrName: string) => {
    const t = revokeEmitterToken(db(), idOrName, operator());
    process.stdout.write(`revoked ${t.id} (${t.name})\n`);
  });

program.parseAsync().catch((err: unknown) => {
  const known = err instanceof EmitterTokenError || err instanceof ConfigError;
  const message = err instanceof ZodError ? err.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ') : known ? (err as Error).message : String(err);
  process.stderr.write(`tokens: ${message}\n`);
  process.exit(known || err instanceof ZodError ? 2 : 1);
});
