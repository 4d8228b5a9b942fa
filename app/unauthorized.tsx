import { SignInForm } from '@/components/auth/sign-in-form';
import { signInOptions } from '@/lib/auth/next/sign-in-options';

/** 401: any page without a session shows the sign-in form, and comes back here after. */
export default function Unauthorized() {
  return <SignInForm {...signInOptions()} />;
}
