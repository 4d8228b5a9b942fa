import Link from 'next/link';
import { SignInForm } from '@/components/auth/sign-in-form';
import { guardPage } from '@/lib/auth/next/guard-page';
import { signInOptions } from '@/lib/auth/next/sign-in-options';
import { safeNextPath, signInErrorText } from '@/lib/auth/sign-in-errors';
import styles from '@/components/auth/auth.module.css';

export const metadata = { title: 'Sign in' };

type Search = { next?: string | string[]; error?: string | string[] };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Search> }) {
  const viewer = await guardPage('/sign-in');
  const q = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const next = safeNextPath(one(q.next));
  if (viewer !== null) {
    return (
      <div className={styles.card} data-testid="already-signed-in">
        <h1>Signed in</h1>
        <p>You are signed in as {viewer.email} ({viewer.role}).</p>
        <Link href={next}>Continue</Link>
      </div>
    );
  }
  return <SignInForm {...signInOptions()} next={next} error={signInErrorText(one(q.error))} />;
}
