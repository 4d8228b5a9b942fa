import { describe, expect, it } from 'vitest';
import type { QueryNode } from '../../lib/query-language/ast';
import { LIMITS } from '../../lib/query-language/errors';
import { AUDIT_FIELDS } from '../../lib/query-language/fields';
import { auditFilter } from '../../lib/store/elasticsearch/queries/audit-filter';
import { quote } from '../../lib/query-language/format';
import { problem, term, tree } from './helpers';

/** Strings that would change a hand-built SQL statement or JSON body if they were pasted into one. */
const HOSTILE = [
  "'; DROP TABLE audit_events; --",
  "' OR '1'='1",
  '1) OR (1=1',
  '"}},"script":{"source":"System.exit(0)"}}',
  '{"match_all":{}}',
  '\\u0000',
  '\u0000',
  '\u0000\u001f\u007f',
  '\u2028\u2029',
  '😀 ünïcödé \u202e',
  '\ud800',
  '*:*',
  'event.action:* OR 1',
  ') or event.action:(*',
  'x%_[a-z]',
  '$where',
  '__proto__',
  'a'.repeat(LIMITS.valueLength),
];

describe('injection attempts', () => {
  it.each(HOSTILE)('%j parses as one plain term value (quoted) and stays a JSON value in the Elasticsearch query', (value) => {
    const text = `kms.encryption_context.tenant:${quote(value)} and user.name:${quote(value)}`;
    const t = tree(text);
    expect(t).toEqual({ kind: 'and', children: [term('kms.encryption_context.tenant', value), term('user.name', value)] });
    expect(auditFilter(t)).toEqual({
      bool: { must: [{ term: { 'keyscope.encryption_context.tenant': { value } } }, { term: { 'user.name': { value } } }] },
    });
    // Serialised, the value comes back intact from the one string that holds it.
    const body = JSON.parse(JSON.stringify(auditFilter(t))) as { bool: { must: Array<{ term: Record<string, { value: string }> }> } };
    expect(body.bool.must[0]?.term['keyscope.encryption_context.tenant']?.value).toBe(value);
    expect(Object.keys(body.bool.must[0]?.term ?? {})).toEqual(['keyscope.encryption_context.tenant']);
  });

  it('reads unquoted hostile text as values, bare words or clear errors, never as anything else', () => {
    const defaults = AUDIT_FIELDS.filter((f) => f.defaultSearch).map((f) => f.name);
    const bare = (w: string): QueryNode => ({ kind: 'or', children: defaults.map((f) => term(f, w)) });
    expect(tree("user.name:'; DROP TABLE audit_events; --")).toEqual({
      kind: 'and', children: [term('user.name', "';"), bare('DROP'), bare('TABLE'), bare('audit_events;'), bare('--')],
    });
    expect(problem('user.name:"}},"script":{"source":"x"}').message).toMatch(/Unknown field|Unterminated|operator|Expected/);
    expect(problem('user.name:\\').message).toMatch(/backslash/);
  });

  it('puts an encryption-context key only into the field name under keyscope.encryption_context', () => {
    const key = '"}},"script":{"source":"x"},"a":{"b';
    const t = tree(`${quote(`kms.encryption_context.${key}`)}:v`);
    const q = auditFilter(t) as { term: Record<string, unknown> };
    expect(Object.keys(q.term)).toEqual([`keyscope.encryption_context.${key}`]);
    expect(problem('kms.encryption_context.*:x').message).toMatch(/wildcard/);
    expect(problem('"kms.encryption_context.*":x').message).toMatch(/cannot be searched/);
  });

  it('rejects an over-long value and an over-long query rather than truncating them', () => {
    expect(problem(`user.name:"${'a'.repeat(LIMITS.valueLength + 1)}"`).message).toMatch(/at most 1,024/);
    expect(problem(`user.name:"${'a'.repeat(LIMITS.queryLength)}"`).message).toMatch(/at most 4,096/);
  });
});
