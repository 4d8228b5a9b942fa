/**
 * `npm run audit -- <command>`: keyscope's own audit log, in the auth database (KEYSCOPE_AUTH_DB).
 *   list [--actor a@b.c] [--action sign-in] [--outcome failure] [--since ISO] [--until ISO] [--text T] [--limit N] [--json]   newest first
 *   export --format csv|ndjson [same filters]                                                             every match, oldest first, to stdout
 *   verify                                                                                                walks the hash chain; exit 3 when broken
 */
import { Command, Option } from 'commander';
import { ZodError } from 'zod';
import { ConfigError, loadConfig } from '../lib/config';
import { openTokenAdminDb } from '../lib/auth/emitter-token-db';
import { exportHeader, exportLines, EXPORT_FORMATS, type ExportFormat } from '../lib/audit/audit-export';
import { AUDIT_ACTIONS, cliActor, ensureAuditTable, recordAudit, type AuditRow } from '../lib/audit/audit-log';
import { auditChunks, AuditFilterSchema, listAudit, type AuditFilter } from '../lib/audit/audit-query';
import { verifyAuditChain } from '../lib/audit/audit-verify';

type FilterOptions = { actor?: string; action?: string; outcome?: string; since?: string; until?: string; text?: string };

const program = new Command('audit').description("keyscope's own audit log (auth database: KEYSCOPE_AUTH_DB)");
const db = () => {
  const d = openTokenAdminDb(loadConfig().auth.dbPath);
  ensureAuditTable(d);
  return d;
};

function withFilters(c: Command): Command {
  return c
    .option('--actor <actor>', 'an email, user id or cli:<os user>')
    .addOption(new Option('--action <action>').choices(AUDIT_ACTIONS))
    .addOption(new Option('--outcome <outcome>').choices(['success', 'failure']))
    .option('--since <iso>', 'from this time (ISO 8601, e.g. 2026-12-01T00:00:00Z)')
    .option('--until <iso>', 'before this time')
    .option('--text <text>', 'in the target or the detail');
}

const filterOf = (o: FilterOptions): AuditFilter =>
  AuditFilterSchema.parse(Object.fromEntries(Object.entries({ actor: o.actor, action: o.action, outcome: o.outcome, since: o.since, until: o.until, text: o.text }).filter(([, v]) => v !== undefined)));

const line = (r: AuditRow) => [r.seq, r.time, r.actor + (r.role ? ` (${r.role})` : ''), r.action, r.target ?? '-', r.outcome, JSON.stringify(r.detail)].join('\t');

withFilters(program.command('list').description('entries, newest first'))
  .option('--limit <n>', 'how many (at most 200)', (v) => Number.parseInt(v, 10), 50)
  .option('--json', 'as JSON')
  .action((o: FilterOptions & { limit: number; json?: boolean }) => {
    const { rows } = listAudit(db(), filterOf(o), { limit: o.limit });
    if (o.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
    else for (const r of rows) process.stdout.write(`${line(r)}\n`);
  });

withFilters(program.command('export').description('every matching entry, oldest first, to stdout (the export is itself audited)'))
  .addOption(new Option('--format <format>').choices(EXPORT_FORMATS).makeOptionMandatory())
  .action((o: FilterOptions & { format: ExportFormat }) => {
    const d = db();
    const filter = filterOf(o);
    recordAudit(d, { by: cliActor(), action: 'export', target: 'audit-log', detail: { format: o.format, filter } });
    process.stdout.write(exportHeader(o.format));
    for (const rows of auditChunks(d, filter)) process.stdout.write(exportLines(o.format, rows));
  });

program
  .command('verify')
  .description('check the hash chain: every entry unchanged and none removed from the middle')
  .action(() => {
    const r = verifyAuditChain(db());
    if (r.ok) {
      process.stdout.write(`ok: ${r.rows} entries, chain intact; head ${r.headSha256} (keep it elsewhere to detect a cut-off tail)\n`);
      return;
    }
    process.stdout.write(`BROKEN at entry ${r.brokenAt}: ${r.reason} (${r.rows} entries before it verify)\n`);
    process.exitCode = 3;
  });

program.parseAsync().catch((err: unknown) => {
  const known = err instanceof ConfigError;
  const message = err instanceof ZodError ? err.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ') : known ? (err as Error).message : String(err);
  process.stderr.write(`audit: ${message}\n`);
  process.exit(known || err instanceof ZodError ? 2 : 1);
});
