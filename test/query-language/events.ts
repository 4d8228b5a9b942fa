import type { AuditEvent } from '../../lib/model/audit-event';
import { normalizeCloudTrailRecord } from '../../lib/model/normalize-cloudtrail';
import { KEY2_ARN, OTHER_ACCOUNT, failed, identities, keyResource, kmsApiCall } from '../support/cloudtrail-fixtures';
import { accept } from '../support/normalize-helpers';
import { isKms, publicCorpus } from '../support/public-corpus';

/** The public corpus's KMS records, normalised, plus a few shaped for what the corpus lacks (IPv6, unicode, cross-account). */
export function auditEvents(): AuditEvent[] {
  const real = publicCorpus()
    .filter((c) => isKms(c.record))
    .flatMap((c) => {
      const r = normalizeCloudTrailRecord(c.record);
      return r.ok ? [r.event] : [];
    });
  const made = [
    kmsApiCall({ eventName: 'Decrypt', label: 'v6', sourceIPAddress: '2001:db8::5', requestParameters: { encryptionContext: { tenant: 'acme', k: '😀x' } } }),
    kmsApiCall({ eventName: 'Decrypt', label: 'mapped', sourceIPAddress: '::ffff:10.1.2.3', requestParameters: { encryptionContext: { tenant: 'ACME', k: '\uFFFD' } } }),
    kmsApiCall({ eventName: 'Encrypt', label: 'v4-10', sourceIPAddress: '10.200.0.9', userIdentity: identities.assumedRole(OTHER_ACCOUNT, 'my-app-role', 's1'), resources: [keyResource(KEY2_ARN)] }),
    failed(kmsApiCall({ eventName: 'GenerateDataKey', label: 'denied', sourceIPAddress: '203.0.113.7' }), 'AccessDeniedException', 'User: arn:aws:iam::111122223333:user/Alice is not authorized to perform: kms:GenerateDataKey'),
    kmsApiCall({ eventName: 'Decrypt', label: 'injection', requestParameters: { encryptionContext: { tenant: "'; DROP TABLE audit_events; --", 'a"b': '"}},"script":{"source":"x"}' } } }),
  ].map(accept);
  return [...real, ...made];
}
