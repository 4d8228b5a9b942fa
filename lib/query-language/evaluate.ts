import type { AuditEvent } from '../model/audit-event';
import type { QueryNode, RangeBound, WildcardSegment } from './ast';
import { resolveField, type FieldSpec } from './fields';
import { maskBytes, parseIp } from './ip';

/**
 * The in-memory oracle both stores are tested against (contract.md): any value of a
 * multi-valued field may match; a missing value matches nothing, so its NOT matches.
 */
export function matches(node: QueryNode, e: AuditEvent): boolean {
  switch (node.kind) {
    case 'all':
      return true;
    case 'and':
      return node.children.every((c) => matches(c, e));
    case 'or':
      return node.children.some((c) => matches(c, e));
    case 'not':
      return !matches(node.child, e);
    default:
      return valuesOf(node.field, e).some((v) => leaf(node, v));
  }
}

type Leaf = Exclude<QueryNode, { kind: 'all' | 'and' | 'or' | 'not' }>;

function valuesOf(field: string, e: AuditEvent): ReadonlyArray<string | boolean> {
  const spec: FieldSpec | null = resolveField(field);
  if (spec === null) throw new Error(`unknown field ${field}`);
  return spec.values(e);
}

function leaf(node: Leaf, v: string | boolean): boolean {
  switch (node.kind) {
    case 'exists':
      return true;
    case 'term':
      if (typeof node.value === 'boolean' || typeof v === 'boolean') return v === node.value;
      return resolveField(node.field)?.type === 'text' ? foldAscii(v).includes(foldAscii(node.value)) : v === node.value;
    case 'wildcard':
      return typeof v === 'string' && wildcardRegExp(node.segments).test(v);
    case 'range':
      return typeof v === 'string' && inRange(node, v);
    case 'cidr':
      return typeof v === 'string' && inCidr(node, v);
  }
}

/** ASCII letters only, as SQLite's lower() folds them. */
const foldAscii = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

const patterns = new WeakMap<WildcardSegment[], RegExp>();
/** Whole-value match; ? is one character (code point), as in Elasticsearch and SQLite GLOB. */
export function wildcardRegExp(segments: WildcardSegment[]): RegExp {
  let re = patterns.get(segments);
  if (re === undefined) {
    const body = segments.map((s) => (s.kind === 'any' ? '.*' : s.kind === 'one' ? '.' : s.text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
    re = new RegExp(`^${body}$`, 'su');
    patterns.set(segments, re);
  }
  return re;
}

/** UTF-8 byte order is code point order (UTF-16 code units differ past U+D800). */
export function compareUtf8(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) as number);
  const y = Array.from(b, (c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}

function inRange(node: Leaf & { kind: 'range' }, v: string): boolean {
  const date = resolveField(node.field)?.type === 'date';
  const cmp = (b: RangeBound): number => (date ? Date.parse(v) - Date.parse(String(b.value)) : compareUtf8(v, String(b.value)));
  const lo = node.lower;
  const hi = node.upper;
  if (lo !== undefined) {
    const c = cmp(lo);
    if (Number.isNaN(c) || c < 0 || (c === 0 && !lo.inclusive)) return false;
  }
  if (hi !== undefined) {
    const c = cmp(hi);
    if (Number.isNaN(c) || c > 0 || (c === 0 && !hi.inclusive)) return false;
  }
  return true;
}

function inCidr(node: Leaf & { kind: 'cidr' }, v: string): boolean {
  const ip = parseIp(v);
  const net = parseIp(node.network);
  if (ip === null || net === null) return false;
  // Both families compared as 16 bytes, IPv4 mapped into ::ffff:0:0/96.
  const bits = (node.family === 4 ? 96 : 0) + node.prefix;
  const a = maskBytes(ip.bytes, bits);
  const b = maskBytes(net.bytes, bits);
  return a.every((byte, i) => byte === b[i]);
}
