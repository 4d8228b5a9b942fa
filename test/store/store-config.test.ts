import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config';

const env = (vars: Record<string, string>): NodeJS.ProcessEnv => vars as unknown as NodeJS.ProcessEnv;

describe('store configuration', () => {
  it('defaults to the embedded sqlite store under .keyscope/', () => {
    expect(loadConfig(env({})).store).toEqual({ backend: 'sqlite', sqlitePath: '.keyscope/keyscope.db' });
  });

  it('reads the sqlite path, and rejects unknown backends by name', () => {
    expect(loadConfig(env({ KEYSCOPE_SQLITE_PATH: '/var/lib/keyscope/k.db' })).store).toEqual({ backend: 'sqlite', sqlitePath: '/var/lib/keyscope/k.db' });
    expect(() => loadConfig(env({ KEYSCOPE_STORE: 'postgres' }))).toThrow(/KEYSCOPE_STORE/);
  });

  it('reads the Elasticsearch settings with local defaults', () => {
    expect(loadConfig(env({ KEYSCOPE_STORE: 'elasticsearch' })).store).toEqual({
      backend: 'elasticsearch',
      elasticsearch: { nodes: ['http://127.0.0.1:9200'], auth: null, caFile: null, indexPrefix: 'keyscope', bulkBytes: 5 * 1024 * 1024, bulkConcurrency: 2 },
    });
    const store = loadConfig(env({
      KEYSCOPE_STORE: 'elasticsearch', KEYSCOPE_ES_NODE: 'https://es1:9200, https://es2:9200', KEYSCOPE_ES_API_KEY: 'c2VjcmV0OmtleQ==',
      KEYSCOPE_ES_CA_FILE: '/etc/keyscope/ca.pem', KEYSCOPE_ES_INDEX_PREFIX: 'prod-ks',
    })).store;
    expect(store).toMatchObject({ elasticsearch: { nodes: ['https://es1:9200', 'https://es2:9200'], auth: { apiKey: 'c2VjcmV0OmtleQ==' }, caFile: '/etc/keyscope/ca.pem', indexPrefix: 'prod-ks' } });
  });

  it('names the Elasticsearch setting that is wrong and never echoes a secret', () => {
    const load = (vars: Record<string, string>) => () => loadConfig(env({ KEYSCOPE_STORE: 'elasticsearch', ...vars }));
    expect(load({ KEYSCOPE_ES_NODE: 'es1:9200' })).toThrow(/KEYSCOPE_ES_NODE: "es1:9200" is not an http\(s\) URL/);
    expect(load({ KEYSCOPE_ES_INDEX_PREFIX: 'Prod*' })).toThrow(/KEYSCOPE_ES_INDEX_PREFIX/);
    expect(load({ KEYSCOPE_ES_USERNAME: 'elastic' })).toThrow(/KEYSCOPE_ES_USERNAME and KEYSCOPE_ES_PASSWORD go together/);
    expect(load({ KEYSCOPE_ES_API_KEY: 'k-secret', KEYSCOPE_ES_USERNAME: 'u', KEYSCOPE_ES_PASSWORD: 'p-secret' })).toThrow(/not both/);
    let message = '';
    try {
      load({ KEYSCOPE_ES_API_KEY: 'k-secret', KEYSCOPE_ES_USERNAME: 'u', KEYSCOPE_ES_PASSWORD: 'p-secret' })();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toMatch(/secret/);
  });
});
