import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalUser, listUsers, setLocalRole, UserError } from '../../lib/auth/users';
import { cookieOf, freshAuth } from './support';

describe('local accounts', () => {
  let a: Awaited<ReturnType<typeof freshAuth>>;
  beforeEach(async () => (a = await freshAuth()));
  afterEach(() => a.close());

  it('an admin-made account signs in and its session carries the role', async () => {
    const { password } = await createLocalUser(a.auth, { email: 'Ana@Example.com', role: 'analyst' });
    expect(password.length).toBeGreaterThanOrEqual(20);
    const res = await a.call('/sign-in/email', { body: { email: 'ana@example.com', password } });
    expect(res.status).toBe(200);
    const session = await (await a.call('/get-session', { cookie: cookieOf(res) })).json();
    expect(session.user).toMatchObject({ email: 'ana@example.com', role: 'analyst' });
  });

  it('a wrong password is refused', async () => {
    await createLocalUser(a.auth, { email: 'v@example.com', role: 'viewer', password: 'correct horse battery' });
    expect((await a.call('/sign-in/email', { body: { email: 'v@example.com', password: 'wrong horse battery' } })).status).toBe(401);
  });

  it('public sign-up is disabled, whatever the body says', async () => {
    const res = await a.call('/sign-up/email', { body: { email: 'eve@example.com', password: 'a long enough password', name: 'Eve', role: 'admin' } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await listUsers(a.auth)).toEqual([]);
  });

  it('a signed-in user cannot set their own role through update-user', async () => {
    const { password } = await createLocalUser(a.auth, { email: 'v@example.com', role: 'viewer' });
    const cookie = cookieOf(await a.call('/sign-in/email', { body: { email: 'v@example.com', password } }));
    const res = await a.call('/update-user', { body: { role: 'admin', name: 'Vee' }, cookie });
    expect(res.status).toBe(400);
    await a.call('/update-user', { body: { name: 'Vee' }, cookie });
    const session = await (await a.call('/get-session', { cookie })).json();
    expect(session.user).toMatchObject({ name: 'Vee', role: 'viewer' });
  });

  it('the same email twice, and a role change of an unknown user, are clear errors', async () => {
    await createLocalUser(a.auth, { email: 'x@example.com', role: 'viewer' });
    await expect(createLocalUser(a.auth, { email: 'X@example.com', role: 'admin' })).rejects.toThrow(/already exists/);
    await expect(setLocalRole(a.auth, 'nobody@example.com', 'admin')).rejects.toBeInstanceOf(UserError);
  });

  it('an admin changes a local role and the next request sees it', async () => {
    const { password } = await createLocalUser(a.auth, { email: 'x@example.com', role: 'viewer' });
    const cookie = cookieOf(await a.call('/sign-in/email', { body: { email: 'x@example.com', password } }));
    await setLocalRole(a.auth, 'x@example.com', 'executive');
    expect((await (await a.call('/get-session', { cookie })).json()).user.role).toBe('executive');
  });
});
