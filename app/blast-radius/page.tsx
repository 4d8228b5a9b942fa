import { ComingNext } from '@/components/coming-next';
import { guardPage } from '@/lib/auth/next/guard-page';

export const metadata = { title: 'Blast radius' };

export default async function BlastRadiusPage() {
  await guardPage('/blast-radius');
  return (
    <ComingNext
      href="/blast-radius"
      shows={[
        'Pick a DEK, a KEK version or a principal and see what it exposes.',
        'Objects and tenants encrypted under it, from the DEK mapping index, with bytes and encryption dates.',
        'For a principal: the decrypts it made, so exposure is what was actually read, not only what it could read.',
        'An export of the affected objects for the rewrap or re-encrypt job.',
      ]}
    />
  );
}
