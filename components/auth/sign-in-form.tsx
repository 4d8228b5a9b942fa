'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import styles from './auth.module.css';

type Props = { providers: { id: string; name: string }[]; localAccounts: boolean; next?: string; error?: string | null };

/** Email and password, and a button per identity provider; after sign-in the browser goes to `next` (this page by default). */
export function SignInForm({ providers, localAccounts, next, error: initialError = null }: Props) {
  const pathname = usePathname();
  const search = useSearchParams();
  const target = next ?? `${pathname}${search.size > 0 ? `?${search.toString()}` : ''}`;
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);

  async function post(path: string, body: unknown): Promise<Record<string, unknown> | null> {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(`/api/auth${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (res.ok) return json;
      const message = typeof json.message === 'string' ? json.message : (json.error as { message?: string } | undefined)?.message;
      setError(res.status === 401 ? 'Wrong email or password.' : res.status === 429 ? 'Too many attempts; wait a minute and try again.' : (message ?? `Sign-in failed (HTTP ${res.status}).`));
      return null;
    } catch {
      setError('The dashboard did not answer; try again.');
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function signInLocal(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    if (await post('/sign-in/email', { email: form.get('email'), password: form.get('password') })) window.location.assign(target);
  }

  async function signInWith(provider: string) {
    const json = await post('/sign-in/social', { provider, callbackURL: target, errorCallbackURL: '/sign-in' });
    if (json && typeof json.url === 'string') window.location.assign(json.url);
  }

  return (
    <div className={styles.card} data-testid="sign-in">
      <h1>Sign in to keyscope</h1>
      {error ? <p className={styles.error} role="alert">{error}</p> : null}
      {providers.map((p) => (
        <button key={p.id} type="button" className={styles.provider} disabled={busy} onClick={() => void signInWith(p.id)}>
          Sign in with {p.name}
        </button>
      ))}
      {providers.length > 0 && localAccounts ? <div className={styles.or}>or with a local account</div> : null}
      {localAccounts ? (
        <form onSubmit={(e) => void signInLocal(e)} className={styles.form}>
          <label>
            Email
            <input name="email" type="email" autoComplete="username" required />
          </label>
          <label>
            Password
            <input name="password" type="password" autoComplete="current-password" required />
          </label>
          <button type="submit" disabled={busy}>Sign in</button>
        </form>
      ) : null}
      {providers.length === 0 && !localAccounts ? <p>No sign-in method is configured (see docs/security.md).</p> : null}
      <p className={styles.faint}>Accounts are made by an admin: there is no sign-up.</p>
    </div>
  );
}
