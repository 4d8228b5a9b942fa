import { ComingNext } from '@/components/coming-next';
import { guardPage } from '@/lib/auth/next/guard-page';

export const metadata = { title: 'Alerts' };

export default async function AlertsPage() {
  await guardPage('/alerts');
  return (
    <ComingNext
      href="/alerts"
      shows={[
        'Open and recent alerts: rule, severity, subject (principal, key, tenant), first and last seen, status.',
        'Each alert’s evidence: the query that shows it and the matching audit events.',
        'SLO burn-rate alerts (page: 1h and 5m above 14.4×; ticket: 6h and 30m above 6×) next to access anomalies.',
        'ATT&CK technique where one fits, and the baseline a departure was measured against.',
      ]}
    />
  );
}
