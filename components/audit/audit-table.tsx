import type { AuditRow } from '@/lib/audit/audit-log';
import tables from '@/components/auth/auth.module.css';
import styles from './audit.module.css';

const when = (iso: string) => `${iso.slice(0, 19).replace('T', ' ')} UTC`;
const facts = (detail: Record<string, unknown>) =>
  Object.entries(detail).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join('  ');

export function AuditTable({ rows }: { rows: readonly AuditRow[] }) {
  return (
    <table className={`${tables.table} ${styles.wide}`} data-testid="audit-rows">
      <thead>
        <tr><th>#</th><th>Time</th><th>Actor</th><th>Action</th><th>Target</th><th>Outcome</th><th>Detail</th><th>Request id</th></tr>
      </thead>
      <tbody>
        {rows.length === 0 ? <tr><td colSpan={8}>No entries match.</td></tr> : null}
        {rows.map((r) => (
          <tr key={r.seq} data-action={r.action} data-outcome={r.outcome}>
            <td className="num">{r.seq}</td>
            <td className="num">{when(r.time)}</td>
            <td>{r.actor}{r.role ? ` (${r.role})` : ''}</td>
            <td><code>{r.action}</code></td>
            <td>{r.target ?? '—'}</td>
            <td className={r.outcome === 'failure' ? styles.failure : undefined}>{r.outcome}</td>
            <td className={styles.detail}>{facts(r.detail)}</td>
            <td><code>{r.requestId?.slice(0, 8) ?? '—'}</code></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
