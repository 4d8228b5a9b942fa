import { ComingNext } from '@/components/coming-next';
import { guardPage } from '@/lib/auth/next/guard-page';

export const metadata = { title: 'Rotation' };

export default async function RotationPage() {
  await guardPage('/rotation');
  return (
    <ComingNext
      href="/rotation"
      shows={[
        'Every KEK: alias, state, rotation on or off, period, last rotated, current version.',
        'Keys overdue for rotation, oldest first.',
        'Rewrap backlog per KEK version (DEKs still wrapped under an old version) and how fast it is draining.',
        'Rotation and key-policy changes from the audit trail, on a timeline.',
      ]}
    />
  );
}
