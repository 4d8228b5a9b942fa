import { AUDIT_ACTIONS } from '@/lib/audit/audit-log';
import type { AuditFilter } from '@/lib/audit/audit-query';
import styles from './audit.module.css';

/** A plain GET form: every filtered view of the audit log is a link. */
export function AuditFilterForm({ filter }: { filter: AuditFilter }) {
  return (
    <form className={styles.filters} method="get" action="/admin/audit" data-testid="audit-filters">
      <label>Actor<input name="actor" defaultValue={filter.actor ?? ''} placeholder="email or cli:user" /></label>
      <label>Action
        <select name="action" defaultValue={filter.action ?? ''}>
          <option value="">any</option>
          {AUDIT_ACTIONS.map((a) => <option key={a} value={a}>{a}</option>)}
        </select>
      </label>
      <label>Outcome
        <select name="outcome" defaultValue={filter.outcome ?? ''}>
          <option value="">any</option>
          <option value="success">success</option>
          <option value="failure">failure</option>
        </select>
      </label>
      <label>Since (UTC)<input name="since" defaultValue={filter.since ?? ''} placeholder="2026-12-01T00:00:00Z" /></label>
      <label>Until (UTC)<input name="until" defaultValue={filter.until ?? ''} placeholder="2026-12-02T00:00:00Z" /></label>
      <label>Text<input name="text" defaultValue={filter.text ?? ''} placeholder="in target or detail" /></label>
      <button type="submit">Search</button>
    </form>
  );
}
