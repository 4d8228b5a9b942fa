import { ComingNext } from '@/components/coming-next';
import { guardPage } from '@/lib/auth/next/guard-page';

export const metadata = { title: 'Posture' };

export default async function PosturePage() {
  await guardPage('/posture');
  return (
    <ComingNext
      href="/posture"
      shows={[
        'Headline posture: share of KEKs with rotation on, keys overdue, rewrap backlog, audit completeness.',
        'SLO attainment over the last 30 days for unwrap success, latency and DEK cache hit rate.',
        'Open critical alerts and their age.',
        'The trend of each figure week over week, for a quarterly review.',
      ]}
    />
  );
}
