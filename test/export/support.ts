import type { AuditRow } from '../../lib/questions/audit-common';
import { failed, kmsApiCall } from '../support/cloudtrail-fixtures';
import { accept } from '../support/normalize-helpers';

/** An audit row (an event without its raw record) from a CloudTrail record of the shared fixtures. */
export function row(i: number, over: { errorMessage?: string; userAgent?: string; context?: Record<string, string> } = {}): AuditRow {
  const record = kmsApiCall({
    eventName: 'Decrypt',
    label: `row-${i}`,
    eventTime: new Date(Date.UTC(2026, 2, 2, 12) - i * 1000).toISOString().replace('.000Z', 'Z'),
    ...(over.userAgent === undefined ? {} : { userAgent: over.userAgent }),
    ...(over.context === undefined ? {} : { requestParameters: { encryptionContext: over.context } }),
  });
  const { raw: _raw, ...rest } = accept(over.errorMessage === undefined ? record : failed(record, 'AccessDeniedException', over.errorMessage));
  return rest;
}

export { parseCsv } from './csv-parse';
