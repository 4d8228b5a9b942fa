import Link from 'next/link';
import { currentViewer } from '@/lib/auth/next/viewer';
import styles from '@/components/notice.module.css';
import authStyles from '@/components/auth/auth.module.css';

/** 403: signed in, but this page is not for the viewer's role (lib/auth/access.ts). */
export default async function Forbidden() {
  const viewer = await currentViewer();
  return (
    <section className={`${styles.notice} ${authStyles.refusal}`} role="alert" data-testid="forbidden">
      <h1>Not for your role</h1>
      <p>
        You are signed in as {viewer?.email ?? 'someone'} with the role <strong>{viewer?.role ?? 'none'}</strong>, which may not open this page.
      </p>
      <p>
        An admin can change a local account&apos;s role; for single sign-on, your groups at the identity provider decide it. <Link href="/">Back to your pages</Link>
      </p>
    </section>
  );
}
