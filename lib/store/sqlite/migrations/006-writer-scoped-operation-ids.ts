import type { Migration } from './migration';

/**
 * Key operation ids are the emitter's, so they are unique within the writer's scope only
 * (issue 13): the same id from another service or tenant is another operation, and a
 * forged one no longer shadows the real one. Re-sends by the same emitter stay duplicates.
 * The index is a superset of the old one's key, so existing rows satisfy it.
 */
export const writerScopedOperationIdsMigration: Migration = {
  version: 6,
  name: 'writer-scoped-operation-ids',
  up: (db) => {
    db.exec(`
      DROP INDEX ux_key_operations_id;
      CREATE UNIQUE INDEX ux_key_operations_writer_id ON key_operations(service_id, tenant_id, id);
    `);
  },
};
