import { CreateTokenForm } from '@/components/tokens/create-token-form';
import { RevokeTokenButton } from '@/components/tokens/revoke-token-button';
import { listTokens } from '@/lib/auth/emitter-token-admin';
import { guardPage } from '@/lib/auth/next/guard-page';
import styles from '@/components/auth/auth.module.css';

export const metadata = { title: 'Emitter tokens' };

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** Admins: the tokens applications write to the intake with, their scopes, and revocation. */
export default async function TokensPage() {
  await guardPage('/admin/tokens');
  const tokens = listTokens();
  return (
    <section>
      <h1>Emitter tokens</h1>
      <p>
        Applications send a token as <code>Authorization: Bearer</code> to the intake (NDJSON and OTLP). Each may write only its services
        (and tenants, when listed). Only a hash is kept: a token is shown once, when it is made. Also <code>npm run tokens -- create</code>.
      </p>
      <table className={styles.table} data-testid="tokens">
        <thead>
          <tr><th>Name</th><th>Id</th><th>Services</th><th>Tenants</th><th>Created</th><th>State</th><th /></tr>
        </thead>
        <tbody>
          {tokens.length === 0 ? <tr><td colSpan={7}>No tokens yet: the intake takes writes from anyone on this machine until the first one is made.</td></tr> : null}
          {tokens.map((t) => (
            <tr key={t.id} data-token-id={t.id} data-state={t.revokedAt === null ? 'active' : 'revoked'}>
              <td>{t.name}</td>
              <td><code>{t.id}</code></td>
              <td>{t.services.join(', ')}</td>
              <td>{t.tenants?.join(', ') ?? 'any'}</td>
              <td className="num">{when(t.createdAt)}{t.createdBy ? ` by ${t.createdBy}` : ''}</td>
              <td>{t.revokedAt === null ? 'active' : `revoked ${when(t.revokedAt)}${t.revokedBy ? ` by ${t.revokedBy}` : ''}`}</td>
              <td>{t.revokedAt === null ? <RevokeTokenButton id={t.id} name={t.name} /> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <CreateTokenForm />
    </section>
  );
}
