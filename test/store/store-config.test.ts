import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config';

const env = (vars: Record<string, string>): NodeJS.ProcessEnv => vars as unknown as NodeJS.ProcessEnv;

describe('store configuration', () => {
  it('defaults to the embedded sqlite store under .keyscope/', () => {
    expect(loadConfig(env({})).store).toEqual({ backend: 'sqlite', sqlitePath: '.keyscope/keyscope.db' });
  });

  it('reads the backend and the path, and rejects unknown backends by name', () => {
    expect(loadConfig(env({ KEYSCOPE_STORE: 'elasticsearch', KEYSCOPE_SQLITE_PATH: '/var/lib/keyscope/k.db' })).store).toEqual({
      backend: 'elasticsearch',
      sqlitePath: '/var/lib/keyscope/k.db',
    });
    expect(() => loadConfig(env({ KEYSCOPE_STORE: 'postgres' }))).toThrow(/KEYSCOPE_STORE/);
  });
});
