import { ComingNext } from '@/components/coming-next';
import { guardPage } from '@/lib/auth/next/guard-page';

export const metadata = { title: 'Security' };

export default async function SecurityPage() {
  await guardPage('/security');
  return (
    <ComingNext
      href="/security"
      shows={[
        'Audit search over CloudTrail KMS events and key operations: principal, KEK, source IP, event name, error code, encryption context, time range.',
        'Per-KEK usage: which principals decrypt with it, from which networks and at what hours.',
        'Per-principal activity: the keys it touched, first and last seen, failed calls (AccessDenied, disabled keys).',
        'Links from every row to the raw CloudTrail record.',
      ]}
    />
  );
}
