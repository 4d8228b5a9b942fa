'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ROLES } from '@/lib/auth/roles';
import styles from './auth.module.css';

/** Makes a local account through /api/admin/users and shows its generated password once. */
export function CreateUserForm() {
  const router = useRouter();
  const [created, setCreated] = useState<{ email: string; password: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    setError(null);
    setCreated(null);
    const res = await fetch('/api/admin/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: form.get('email'), name: form.get('name') || undefined, role: form.get('role') }),
    });
    const json = (await res.json().catch(() => ({}))) as { user?: { email: string }; password?: string; error?: { message: string } };
    if (!res.ok || !json.user || !json.password) {
      setError(json.error?.message ?? `HTTP ${res.status}`);
      return;
    }
    setCreated({ email: json.user.email, password: json.password });
    formEl.reset();
    router.refresh();
  }

  return (
    <div className={`${styles.card} ${styles.inline}`}>
      <h2>New local account</h2>
      {error ? <p className={styles.error} role="alert">{error}</p> : null}
      {created ? (
        <p className={styles.created} data-testid="created-user">
          {created.email} can sign in with the password <code>{created.password}</code>. It is shown only now.
        </p>
      ) : null}
      <form className={styles.form} onSubmit={(e) => void submit(e)}>
        <label>Email<input name="email" type="email" required /></label>
        <label>Name<input name="name" /></label>
        <label>
          Role
          <select name="role" defaultValue="viewer">
            {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <button type="submit">Create account</button>
      </form>
    </div>
  );
}
