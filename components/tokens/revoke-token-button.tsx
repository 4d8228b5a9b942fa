'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import styles from '../auth/auth.module.css';
import own from './tokens.module.css';

/** Revokes one emitter token through DELETE /api/admin/tokens, after a confirmation. */
export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function revoke() {
    if (!window.confirm(`Revoke the token ${name}? Emitters sending it are refused from their next request.`)) return;
    const res = await fetch(`/api/admin/tokens?id=${encodeURIComponent(id)}`, { method: 'DELETE' });
    if (!res.ok) {
      const json = (await res.json().catch(() => ({}))) as { error?: { message: string } };
      setError(json.error?.message ?? `HTTP ${res.status}`);
      return;
    }
    router.refresh();
  }
  return (
    <>
      <button type="button" className={own.revoke} data-testid={`revoke-${id}`} onClick={() => void revoke()}>Revoke</button>
      {error ? <span className={styles.error} role="alert">{error}</span> : null}
    </>
  );
}
