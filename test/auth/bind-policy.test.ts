import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config';
import { assertBindAllowed, isLoopbackHost } from '../../lib/net/bind-policy';

describe('bind policy', () => {
  it('tells loopback from other addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'keyscope.example.com', '128.0.0.1']) expect(isLoopbackHost(h)).toBe(false);
  });

  it('refuses another address while no sign-in method is configured, naming the setting', () => {
    const o = { what: 'the dashboard', setting: 'KEYSCOPE_DASHBOARD_HOST', signIn: 'an OIDC provider' };
    expect(() => assertBindAllowed({ ...o, host: '0.0.0.0', signInConfigured: false })).toThrow(ConfigError);
    expect(() => assertBindAllowed({ ...o, host: '0.0.0.0', signInConfigured: false })).toThrow(/KEYSCOPE_DASHBOARD_HOST/);
    expect(() => assertBindAllowed({ ...o, host: '0.0.0.0', signInConfigured: true })).not.toThrow();
    expect(() => assertBindAllowed({ ...o, host: '127.0.0.1', signInConfigured: false })).not.toThrow();
  });
});
