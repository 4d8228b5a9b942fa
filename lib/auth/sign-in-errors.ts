import { NO_ROLE_ERROR } from './oidc-role';

/** What the sign-in page says for an error code better-auth sent it back with (`?error=`). */
export function signInErrorText(code: string | undefined): string | null {
  if (code === undefined || code === '') return null;
  if (code === NO_ROLE_ERROR) return 'Your groups at the identity provider grant no keyscope role. Ask an admin to map one of your groups.';
  if (code === 'signup_disabled' || code === 'account_not_linked') return 'This identity cannot sign in to keyscope (an account with this email exists already, or sign-up is closed).';
  return `Sign-in failed (${code.slice(0, 60)}). Try again, or ask an admin.`;
}

/** Only a path on this dashboard, so a crafted link cannot send someone elsewhere after sign-in. */
export function safeNextPath(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
