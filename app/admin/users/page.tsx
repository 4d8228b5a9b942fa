import { CreateUserForm } from '@/components/auth/create-user-form';
import { getAuth } from '@/lib/auth/keyscope-auth';
import { guardPage } from '@/lib/auth/next/guard-page';
import { listUsers } from '@/lib/auth/users';
import styles from '@/components/auth/auth.module.css';

export const metadata = { title: 'Users' };

/** Admins: who can sign in and with what role; new local accounts (OIDC users appear at their first sign-in). */
export default async function UsersPage() {
  await guardPage('/admin/users');
  const users = await listUsers(await getAuth());
  return (
    <section>
      <h1>Users</h1>
      <p>Local accounts are made here or with <code>npm run users -- create</code>. Single sign-on users take their role from their identity provider&apos;s groups at every sign-in.</p>
      <table className={styles.table} data-testid="users">
        <thead>
          <tr><th>Email</th><th>Name</th><th>Role</th><th>Signs in with</th><th>Created</th></tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.email}</td><td>{u.name}</td><td>{u.role ?? '—'}</td><td>{u.signIn}</td><td className="num">{u.createdAt.slice(0, 16).replace('T', ' ')} UTC</td>
            </tr>
          ))}
        </tbody>
      </table>
      <CreateUserForm />
    </section>
  );
}
