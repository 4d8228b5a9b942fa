import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDIT_FIELDS } from '../../lib/query-language/fields';
import { parseQuery } from '../../lib/query-language/parse';

const doc = readFileSync(new URL('../../docs/search-language.md', import.meta.url), 'utf8');
const section = (from: string, to: string): string => doc.slice(doc.indexOf(from), doc.indexOf(to, doc.indexOf(from) + from.length));

describe('docs/search-language.md', () => {
  it('lists exactly the catalog\'s fields, types, Elasticsearch names, facets and bare-word fields', () => {
    const rows = section('<!-- fields:start -->', '<!-- fields:end -->').split('\n').filter((l) => l.startsWith('| `'));
    const parsed = rows.map((r) => r.split(' | ').map((c) => c.replace(/^\| /, '').replace(/ \|$/, '').replace(/`/g, '')));
    expect(parsed.map(([name, type, es, facet, bare]) => ({ name, type, es, facet: facet === 'yes', defaultSearch: bare === 'yes' }))).toEqual(
      AUDIT_FIELDS.map((f) => ({ name: f.name, type: f.type, es: f.es, facet: f.facet, defaultSearch: f.defaultSearch })),
    );
  });

  it('gives examples that parse', () => {
    const examples = [...section('## Operators', '## Values by field type').matchAll(/^\| `(.+?)` \|/gm)].map((m) => (m[1] as string).replace(/\\\|/g, '|'));
    expect(examples.length).toBeGreaterThan(20);
    for (const q of examples) expect(parseQuery(q), q).toMatchObject({ ok: true });
  });
});
