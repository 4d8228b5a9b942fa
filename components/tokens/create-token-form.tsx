'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import styles from '../auth/auth.module.css';

const list = (v: FormDataEntryValue | null) => String(v ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');

/** Makes an emitter token through /api/admin/tokens and shows it once. */
export function CreateTokenForm() {
  const router = useRouter();
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    setError(null);
    setCreated(null);
    const tenants = list(form.get('tenants'));
    const res = await fetch('/api/admin/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: form.get('name'), services: list(form.get('services')), ...(tenants.length > 0 ? { tenants } : {}) }),
    });
    const json = (await res.json().catch(() => ({}))) as { token?: string; summary?: { name: string }; error?: { message: string } };
    if (!res.ok || !json.token || !json.summary) {
      setError(json.error?.message ?? `HTTP ${res.status}`);
      return;
    }
    setCreated({ name: json.summary.name, token: json.token });
    formEl.reset();
    router.refresh();
  }

  return (
    <div className={`${styles.card} ${styles.inline}`}>
      <h2>New emitter token</h2>
      {error ? <p className={styles.error} role="alert">{error}</p> : null}
      {created ? (
        <p className={styles.created} data-testid="created-token">
          {created.name}: <code>{created.token}</code>. It is shown only now: give it to the emitter, which sends it as <code>Authorization: Bearer</code>.
        </p>
      ) : null}
      <form className={styles.form} onSubmit={(e) => void submit(e)}>
        <label>Name<input name="name" required maxLength={64} placeholder="billing-prod" /></label>
        <label>Services (comma-separated)<input name="services" required placeholder="billing" /></label>
        <label>Tenants (comma-separated; empty: any)<input name="tenants" placeholder="acme, globex" /></label>
        <button type="submit">Create token</button>
      </form>
    </div>
  );
}
