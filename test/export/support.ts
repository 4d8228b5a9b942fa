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

/** RFC 4180 parsing for assertions: quoted fields with doubled quotes, commas and line breaks inside. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    }
    else if (c === '\r' && text[i + 1] === '\n') {
      fields.push(field);
      records.push(fields);
      fields = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || fields.length > 0) throw new Error('the CSV does not end with CRLF');
  return records;
}
