import { AuditFilterForm } from '@/components/audit/audit-filter-form';
import { AuditTable } from '@/components/audit/audit-table';
import styles from '@/components/audit/audit.module.css';
import { filterOf, safeParseAuditParams } from '@/lib/audit/audit-params';
import { listAudit } from '@/lib/audit/audit-query';
import { dashboardAuditDb } from '@/lib/audit/route-audit';
import { guardPage } from '@/lib/auth/next/guard-page';

export const metadata = { title: 'Audit log' };

type Search = Record<string, string | string[] | undefined>;

const query = (p: Record<string, string | number | undefined>) =>
  new URLSearchParams(Object.entries(p).filter((e): e is [string, string | number] => e[1] !== undefined).map(([k, v]) => [k, String(v)])).toString();

/** Admins: keyscope's own audit log (sign-ins, users, tokens, exports, searches, alert changes), searchable and exportable. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  await guardPage('/admin/audit');
  const parsed = safeParseAuditParams(await searchParams);
  const params = parsed.success ? parsed.data : {};
  const filter = filterOf(params);
  const page = listAudit(await dashboardAuditDb(), filter, { ...(params.before ? { before: params.before } : {}), limit: params.limit ?? 50 });
  return (
    <section>
      <h1>Audit log</h1>
      <p>
        Who signed in (and who failed to), changed users and roles, made or revoked tokens, exported and searched. Entries are append-only
        and hash-chained: <code>npm run audit -- verify</code> checks that none was changed.
      </p>
      <AuditFilterForm filter={filter} />
      {parsed.success ? null : <p className={styles.error} role="alert">Ignored invalid filters: {parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}</p>}
      <div className={styles.actions}>
        <span>Export what matches:</span>
        <a href={`/api/admin/audit?${query({ ...filter, format: 'csv' })}`} download>CSV</a>
        <a href={`/api/admin/audit?${query({ ...filter, format: 'ndjson' })}`} download>NDJSON</a>
      </div>
      <AuditTable rows={page.rows} />
      <div className={styles.actions}>
        {params.before ? <a href={`/admin/audit?${query(filter)}`}>Newest</a> : null}
        {page.nextBefore === null ? null : <a href={`/admin/audit?${query({ ...filter, before: page.nextBefore })}`} data-testid="audit-older">Older entries</a>}
      </div>
    </section>
  );
}
