import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditDbOf } from '../../lib/audit/audit-db';
import { AUDIT_TABLE } from '../../lib/audit/audit-log';
import { createEmitterToken, revokeEmitterToken } from '../../lib/auth/emitter-tokens';
import { createLocalUser, resetLocalPassword, setLocalRole } from '../../lib/auth/users';
import { findSecrets } from '../support/secret-scan';
import { cookieOf, freshAuth } from '../auth/support';
import { tokenSecretOf } from '../support/token-secret';

describe('the audit log keeps no secrets', () => {
  let a: Awaited<ReturnType<typeof freshAuth>>;
  beforeEach(async () => (a = await freshAuth()));
  afterEach(() => a.close());

  it('no password, token, session token or auth secret in any row, in any encoding', async () => {
    const chosen = 'chosen-password-for-ana';
    await createLocalUser(a.auth, { email: 'ana@example.com', role: 'analyst', password: chosen });
    const generated = (await createLocalUser(a.auth, { email: 'bob@example.com', role: 'viewer' })).password;
    const signedIn = await a.call('/sign-in/email', { body: { email: 'ana@example.com', password: chosen } });
    await a.call('/sign-in/email', { body: { email: 'ana@example.com', password: 'wrong-password-attempt' } });
    await setLocalRole(a.auth, 'bob@example.com', 'admin');
    const reset = await resetLocalPassword(a.auth, 'bob@example.com');
    const db = auditDbOf(a.auth);
    const { token } = createEmitterToken(db, { name: 'billing', services: ['billing'] }, 'cli:test');
    revokeEmitterToken(db, 'billing', 'cli:test');

    const sessionToken = decodeURIComponent(cookieOf(signedIn).split('=')[1]!).split('.')[0]!;
    const secrets = [chosen, generated, 'wrong-password-attempt', reset, token, tokenSecretOf(token), sessionToken, 'test-secret-test-secret-test-secret-0123'];
    const dump = JSON.stringify(db.prepare(`SELECT * FROM ${AUDIT_TABLE}`).all());
    expect(dump).toContain('user.password-reset'); // the rows are there
    expect(findSecrets(new Map([[AUDIT_TABLE, Buffer.from(dump)]]), secrets.map((s) => Buffer.from(s, 'utf8')))).toEqual([]);
  });
});
