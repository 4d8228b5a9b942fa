import type { QueryNode, RangeBound, Span } from './ast';
import { isoOf, nextDay, parseDate } from './dates';
import { QueryError, LIMITS } from './errors';
import { AUDIT_FIELDS, CONTEXT_PREFIX, resolveField, type FieldSpec } from './fields';
import { formatIp, maskBytes, parseIp } from './ip';
import { nearestField } from './nearest';
import { isStar, type FieldRef, type Syntax, type Val, type ValueExpr } from './syntax';

/** Checks fields and values against the catalog and builds the tree stores receive. */
export function buildTree(s: Syntax): QueryNode {
  switch (s.t) {
    case 'empty':
      return { kind: 'all' };
    case 'and':
    case 'or':
      return { kind: s.t, children: s.children.map(buildTree) };
    case 'not':
      return { kind: 'not', child: buildTree(s.child) };
    case 'bare':
      return bare(s.value);
    case 'field': {
      const spec = fieldSpec(s.field);
      return valueTree(spec, s.expr);
    }
    case 'compare': {
      const spec = fieldSpec(s.field);
      const at = { start: s.field.span.start, end: s.value.span.end };
      const bound = { value: s.value, inclusive: s.op.endsWith('=') };
      return s.op.startsWith('>') ? range(spec, bound, null, at) : range(spec, null, bound, at);
    }
  }
}

function fieldSpec(ref: FieldRef): FieldSpec {
  const spec = resolveField(ref.name);
  if (spec !== null) return spec;
  if (ref.name.toLowerCase().startsWith(CONTEXT_PREFIX) && ref.name.length > CONTEXT_PREFIX.length) {
    throw new QueryError('This encryption-context key cannot be searched (* or over 2,048 characters)', ref.span);
  }
  const near = nearestField(ref.name);
  const shown = ref.name.length > 64 ? `${ref.name.slice(0, 64)}…` : ref.name;
  throw new QueryError(`Unknown field "${shown}"${near === null ? '' : `: did you mean ${near}?`}`, ref.span);
}

function checkLength(v: Val): void {
  if (v.text.length > LIMITS.valueLength) throw new QueryError(`A value may be at most ${LIMITS.valueLength.toLocaleString('en')} characters`, v.span);
  if (v.pattern === null && v.text === '') throw new QueryError('Empty value', v.span);
}

function valueTree(spec: FieldSpec, e: ValueExpr): QueryNode {
  switch (e.t) {
    case 'and':
    case 'or':
      return { kind: e.t, children: e.children.map((c) => valueTree(spec, c)) };
    case 'not':
      return { kind: 'not', child: valueTree(spec, e.child) };
    case 'range':
      return range(spec, e.lower && { value: e.lower, inclusive: e.lowerInclusive }, e.upper && { value: e.upper, inclusive: e.upperInclusive }, e.span);
    case 'value':
      return value(spec, e.value);
  }
}

function value(spec: FieldSpec, v: Val): QueryNode {
  if (isStar(v)) return { kind: 'exists', field: spec.name };
  checkLength(v);
  const field = spec.name;
  if (v.pattern !== null && spec.type !== 'keyword') {
    const hint = spec.type === 'ip' ? ': use CIDR (10.0.0.0/8)' : spec.type === 'date' ? ': use a range' : '';
    throw new QueryError(`Wildcards work on keyword fields; ${field} is a ${spec.type} field${hint}`, v.span);
  }
  switch (spec.type) {
    case 'keyword':
      return v.pattern !== null ? { kind: 'wildcard', field, segments: v.pattern } : { kind: 'term', field, value: v.text };
    case 'text':
      return { kind: 'term', field, value: v.text };
    case 'boolean': {
      const b = v.text.toLowerCase();
      if (b !== 'true' && b !== 'false') throw new QueryError(`${field} is true or false`, v.span);
      return { kind: 'term', field, value: b === 'true' };
    }
    case 'ip':
      return cidr(spec, v);
    case 'date': {
      // A date-time is one instant; a date alone is its whole UTC day.
      const d = dateOf(v);
      return d.dateOnly
        ? { kind: 'range', field, lower: { value: isoOf(d.ms), inclusive: true }, upper: { value: isoOf(nextDay(d.ms)), inclusive: false } }
        : { kind: 'range', field, lower: { value: isoOf(d.ms), inclusive: true }, upper: { value: isoOf(d.ms), inclusive: true } };
    }
  }
}

function dateOf(v: Val): { ms: number; dateOnly: boolean } {
  const d = parseDate(v.text);
  if (d === null) throw new QueryError('Not a date: write 2026-01-31 or 2026-01-31T12:00:00Z', v.span);
  return d;
}

function cidr(spec: FieldSpec, v: Val): QueryNode {
  const slash = v.text.lastIndexOf('/');
  const addr = slash < 0 ? v.text : v.text.slice(0, slash);
  const ip = parseIp(addr);
  if (ip === null) throw new QueryError('Not an IP address or CIDR block (10.0.0.0/8, 2001:db8::/32)', v.span);
  const max = ip.family === 4 ? 32 : 128;
  const prefixText = slash < 0 ? String(max) : v.text.slice(slash + 1);
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix <= max)) throw new QueryError(`A CIDR prefix is 0-${max} for IPv${ip.family}`, v.span);
  // Host bits are cleared: 10.1.2.3/8 means 10.0.0.0/8, as Elasticsearch reads it.
  const network = formatIp(ip.family, maskBytes(ip.bytes, (ip.family === 4 ? 96 : 0) + prefix));
  return { kind: 'cidr', field: spec.name, family: ip.family, network, prefix };
}

type BoundIn = { value: Val; inclusive: boolean } | null;

function range(spec: FieldSpec, lower: BoundIn, upper: BoundIn, at: Span): QueryNode {
  if (spec.type !== 'date' && spec.type !== 'keyword') {
    const hint = spec.type === 'ip' ? ': use CIDR (10.0.0.0/8)' : '';
    throw new QueryError(`Ranges work on dates and keyword fields; ${spec.name} is a ${spec.type} field${hint}`, at);
  }
  if (lower === null && upper === null) return { kind: 'exists', field: spec.name };
  const node: QueryNode & { kind: 'range' } = { kind: 'range', field: spec.name };
  if (lower !== null) node.lower = bound(spec, lower, 'lower');
  if (upper !== null) node.upper = bound(spec, upper, 'upper');
  return node;
}

function bound(spec: FieldSpec, b: { value: Val; inclusive: boolean }, side: 'lower' | 'upper'): RangeBound {
  const v = b.value;
  if (v.pattern !== null) throw new QueryError('A range bound cannot hold a wildcard (write * alone for none)', v.span);
  checkLength(v);
  if (spec.type === 'keyword') return { value: v.text, inclusive: b.inclusive };
  const d = dateOf(v);
  if (!d.dateOnly) return { value: isoOf(d.ms), inclusive: b.inclusive };
  // A date alone is a whole day: "> day" starts the next day, "<= day" runs to its end.
  const afterDay = side === 'lower' ? !b.inclusive : b.inclusive;
  return { value: isoOf(afterDay ? nextDay(d.ms) : d.ms), inclusive: side === 'lower' };
}

const DEFAULT_FIELDS = AUDIT_FIELDS.filter((f) => f.defaultSearch);

/** A value without a field: an or over the default-search fields, so stores never see free text. */
function bare(v: Val): QueryNode {
  if (isStar(v)) return { kind: 'all' };
  checkLength(v);
  const nodes = DEFAULT_FIELDS.map((spec) => value(spec, v));
  return nodes.length === 1 ? (nodes[0] as QueryNode) : { kind: 'or', children: nodes };
}
