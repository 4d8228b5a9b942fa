import { normalizeErrorCode } from '../../../model/cloudtrail/error-codes';
import type { Migration } from './migration';

/**
 * The key inventory's top principals, and error codes grouped as one.
 * - `principal`: who called, stable across sessions (the role of an assumed-role session,
 *   else the caller's ARN, else the AWS service), with an index by key ARN and time so
 *   that the top principals of each key in a range read only the index.
 * - `error_code` holds the canonical code (`AccessDenied` → `AccessDeniedException`,
 *   `Throttling` → `ThrottlingException`) for grouping and filtering; `doc` keeps the code
 *   as CloudTrail wrote it.
 */
export const keyInventoryMigration: Migration = {
  version: 4,
  name: 'key-inventory',
  up: (db) => {
    db.function('keyscope_canonical_error_code', { deterministic: true }, (code: unknown) => (typeof code === 'string' ? normalizeErrorCode(code) : null));
    db.exec(`
      ALTER TABLE audit_events ADD COLUMN principal TEXT;
      UPDATE audit_events SET principal = COALESCE(
        json_extract(doc, '$.principal.roleArn'), json_extract(doc, '$.principal.arn'), json_extract(doc, '$.principal.invokedBy'));
      UPDATE audit_events SET error_code = keyscope_canonical_error_code(error_code) WHERE error_code IS NOT NULL;
      CREATE INDEX ix_audit_events_key_arn_time ON audit_events(key_arn, time_ms, event_name, principal, success);
    `);
  },
};
