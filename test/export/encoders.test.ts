import { describe, expect, it } from 'vitest';
import { columnSpecs, DEFAULT_COLUMNS } from '../../lib/export/columns';
import { csvCell, csvLine } from '../../lib/export/csv';
import { csvEncoder, ndjsonEncoder } from '../../lib/export/encoders';
import { ndjsonLine } from '../../lib/export/ndjson';
import { AUDIT_FIELDS } from '../../lib/query-language/fields';
import { parseCsv, row } from './support';

describe('CSV cells (RFC 4180)', () => {
  it('quotes only what needs it and doubles quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvLine(['a', 'b,c', null])).toBe('a,"b,c",\r\n');
  });

  it("prefixes a formula start with ' so a spreadsheet shows it as text", () => {
    for (const v of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(csvCell(v).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('=1+1')).toBe("'=1+1");
    // Prefixed, then quoted: the quote still wraps the whole field.
    expect(csvCell('=A1,"x"')).toBe('"\'=A1,""x"""');
    expect(csvCell('a=1')).toBe('a=1');
    expect(csvCell('2001:db8::5')).toBe('2001:db8::5');
  });

  it('keeps unicode as it is, astral characters included', () => {
    for (const v of ['Zürich', '東京', '😀x', '\uFFFD', 'a\u2028b']) expect(parseCsv(csvLine([v, 'end']))).toEqual([[v, 'end']]);
  });
});

describe('NDJSON lines', () => {
  it('one line per value whatever the strings hold', () => {
    const tricky = { a: 'two\nlines\r', b: '😀', c: 'a\u2028b', d: '\ud800' };
    const line = ndjsonLine(tricky);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\r\n]/);
    expect(JSON.parse(line)).toEqual(tricky);
  });
});

describe('row encoders', () => {
  const rows = [
    row(1),
    row(2, { errorMessage: 'User: "x" is not, authorized\nsecond line', userAgent: '=cmd|"/C calc"!A0' }),
    row(3, { context: { tenant: 'Zürich 😀', 'a,b': '-1' } }),
  ];

  it('CSV: a header of the chosen columns, one record per row, values as the catalog reads them', () => {
    const specs = columnSpecs(['@timestamp', 'event.id', 'error.message', 'user_agent.original', 'kms.encryption_context.tenant', 'kms.encryption_context.a,b']);
    const enc = csvEncoder(specs);
    const records = parseCsv(enc.header + rows.map((r) => enc.row(r)).join(''));
    expect(records[0]).toEqual(specs.map((s) => s.name));
    expect(records).toHaveLength(1 + rows.length);
    for (const [i, r] of rows.entries()) {
      expect(records[i + 1]![0]).toBe(new Date(r.time).toISOString());
      expect(records[i + 1]![1]).toBe(r.id);
    }
    expect(records[2]![2]).toBe('User: "x" is not, authorized\nsecond line');
    expect(records[2]![3]).toBe('\'=cmd|"/C calc"!A0');
    expect(records[1]![4]).toBe('');
    expect(records[3]!.slice(4)).toEqual(['Zürich 😀', "'-1"]);
  });

  it('CSV without a choice has the whole catalog, booleans as true/false', () => {
    expect(DEFAULT_COLUMNS).toEqual(AUDIT_FIELDS.map((f) => f.name));
    const enc = csvEncoder(columnSpecs(DEFAULT_COLUMNS));
    const [header, first] = parseCsv(enc.header + enc.row(rows[0]!));
    expect(header).toHaveLength(AUDIT_FIELDS.length);
    const at = (name: string) => first![header!.indexOf(name)];
    expect(at('keyscope.cross_account')).toBe(String(rows[0]!.crossAccount));
    expect(at('event.action')).toBe('Decrypt');
  });

  it('NDJSON: whole rows without a choice, else the chosen columns by name; a last line says when cut', () => {
    const whole = ndjsonEncoder(null);
    expect(whole.header).toBe('');
    expect(JSON.parse(whole.row(rows[1]!))).toEqual(rows[1]);
    const some = ndjsonEncoder(columnSpecs(['event.id', 'error.code', 'kms.encryption_context.tenant']));
    expect(JSON.parse(some.row(rows[2]!))).toEqual({ 'event.id': rows[2]!.id, 'error.code': null, 'kms.encryption_context.tenant': 'Zürich 😀' });
    expect(some.trailer(null)).toBe('');
    expect(JSON.parse(some.trailer({ rows: 10, rowCap: 10 }))).toEqual({ truncated: true, rows: 10, rowCap: 10 });
  });
});
