import type { Migration } from './migration';

/**
 * Two facts a key operation carries for joins with the audit trail (issue 12, part 6):
 * - `key_arn_ref`: the canonical key ARN of its KEK (lib/model/kek-ref.ts), as a
 *   dictionary id; null where it cannot be known (an alias, or a bare id without account
 *   and Region). `kek_ref` keeps what the emitter wrote.
 * - `kms_request_id`: the key manager's request id (CloudTrail's `requestID`).
 * Operations stored before this migration have neither: they are left null, not guessed.
 */
export const operationKeyIdentityMigration: Migration = {
  version: 5,
  name: 'operation-key-identity',
  up: (db) => {
    db.exec(`
      ALTER TABLE key_operations ADD COLUMN key_arn_ref INTEGER;
      ALTER TABLE key_operations ADD COLUMN kms_request_id TEXT;
    `);
  },
};
