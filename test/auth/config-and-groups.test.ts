import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config';
import { parseConfigFile } from '../../lib/config-file';
import { roleFromGroups } from '../../lib/auth/group-roles';
import { stripUrlCredentials } from '../../lib/dashboard/server/redact';

const provider = { id: 'corp', name: 'Corp SSO', discoveryUrl: 'https://idp.example.com/.well-known/openid-configuration', clientId: 'keyscope', roles: { 'kms-security': 'analyst', sre: 'viewer' } };

describe('the config file', () => {
  it('takes OIDC providers with defaults for scopes and the groups claim', () => {
    const c = parseConfigFile(JSON.stringify({ auth: { oidc: [provider] } }), 'k.json');
    expect(c.auth.oidc[0]).toMatchObject({ groupsClaim: 'groups', scopes: ['openid', 'email', 'profile', 'groups'] });
    expect(c.auth.localAccounts).toBe(true);
  });

  it('names the file, the field and the rule of what is wrong', () => {
    const bad = (v: unknown) => () => parseConfigFile(JSON.stringify(v), 'k.json');
    expect(bad({ auth: { oidc: [{ ...provider, roles: { sre: 'root' } }] } })).toThrow(/k\.json: auth\.oidc\.0\.roles\.sre/);
    expect(bad({ auth: { oidc: [provider, provider] } })).toThrow(/used twice/);
    expect(bad({ auth: { oidc: [{ ...provider, discoveryUrl: 'ftp://x' }] } })).toThrow(/discoveryUrl/);
    expect(bad({ auth: {}, extra: 1 })).toThrow(ConfigError);
    expect(() => parseConfigFile('{', 'k.json')).toThrow(/not JSON/);
  });
});

describe('roles from groups', () => {
  const mapping = { 'kms-security': 'analyst', sre: 'viewer', 'kms-admins': 'admin', board: 'executive' } as const;
  it('maps a groups claim, the most privileged role winning', () => {
    expect(roleFromGroups(['sre'], mapping)).toBe('viewer');
    expect(roleFromGroups(['sre', 'kms-security'], mapping)).toBe('analyst');
    expect(roleFromGroups(['board', 'kms-admins'], mapping)).toBe('admin');
    expect(roleFromGroups('board', mapping)).toBe('executive');
  });
  it('grants nothing for unknown groups, a missing claim or odd shapes', () => {
    expect(roleFromGroups(['everyone'], mapping)).toBeNull();
    expect(roleFromGroups(undefined, mapping)).toBeNull();
    expect(roleFromGroups([{ sre: true }, 7], mapping)).toBeNull();
    expect(roleFromGroups(['toString', '__proto__'], mapping)).toBeNull();
  });
});

describe('server log redaction', () => {
  it('strips credentials from URLs', () => {
    expect(stripUrlCredentials('connect ECONNREFUSED https://elastic:s3cr3t@es.local:9200/_search failed')).toBe('connect ECONNREFUSED https://[redacted]@es.local:9200/_search failed');
    expect(stripUrlCredentials('http://es.local:9200')).toBe('http://es.local:9200');
  });
});
