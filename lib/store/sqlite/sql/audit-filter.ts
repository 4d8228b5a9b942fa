import type { QueryNode, RangeBound, WildcardSegment } from '../../../query-language/ast';
import { resolveField, type FieldType } from '../../../query-language/fields';
import { maskBytes, parseIp } from '../../../query-language/ip';
import { auditColumn, type AuditColumn } from './audit-columns';
import type { SqlQuery } from './query';

type Leaf = Exclude<QueryNode, { kind: 'all' | 'and' | 'or' | 'not' }>;

/** A field's value as text, where a string operator (GLOB, range) needs one. */
const ISO_TIME = "(strftime('%Y-%m-%dT%H:%M:%S', time_ms / 1000, 'unixepoch') || '.' || printf('%03d', time_ms % 1000) || 'Z')";
const OUTCOME = "(CASE success WHEN 1 THEN 'success' ELSE 'failure' END)";
const SOURCE_IP = '(CASE WHEN source_ip_bin IS NOT NULL THEN source_ip END)';

/**
 * Compiles a query tree (lib/query-language/ast.ts) to a WHERE fragment over audit_events
 * that selects exactly the events `matches()` accepts (lib/query-language/evaluate.ts).
 * Values are bound parameters (`@<prefix><n>`); SQL text comes only from the fixed column
 * mapping. A missing value matches nothing and its NOT matches: positive leaves stay
 * plain comparisons (so the planner can use indexes; a NULL there is as good as false),
 * and NOT is `(x) IS NOT 1`, true for false and NULL alike.
 */
export function compileAuditFilter(node: QueryNode, prefix = 'q'): SqlQuery {
  const c = new Compiler(prefix);
  return { sql: c.node(node), params: c.params };
}

class Compiler {
  readonly params: Record<string, string | number> = {};
  private n = 0;

  constructor(private readonly prefix: string) {}

  node(n: QueryNode): string {
    switch (n.kind) {
      case 'all':
        return '1';
      case 'and':
      case 'or': {
        if (n.children.length === 0) return n.kind === 'and' ? '1' : '0';
        const parts = n.children.map((c) => this.node(c));
        return parts.length === 1 ? (parts[0] as string) : `(${parts.join(n.kind === 'and' ? ' AND ' : ' OR ')})`;
      }
      case 'not':
        return `((${this.node(n.child)}) IS NOT 1)`;
      default:
        return this.leaf(n);
    }
  }

  private bind(v: string | number): string {
    const name = `${this.prefix}${this.n++}`;
    this.params[name] = v;
    return `@${name}`;
  }

  private leaf(n: Leaf): string {
    const spec = resolveField(n.field);
    const col = auditColumn(n.field);
    if (spec === null || col === null) throw new Error(`unknown audit field ${n.field.slice(0, 80)}`);
    switch (n.kind) {
      case 'exists':
        return this.exists(col);
      case 'term':
        return this.term(col, spec.type, n.value);
      case 'wildcard':
        return this.wildcard(col, n.segments);
      case 'range':
        return this.range(col, spec.type, n.lower, n.upper);
      case 'cidr':
        return this.cidr(col, n.field, n.network, n.family, n.prefix);
    }
  }

  private exists(col: AuditColumn): string {
    switch (col.kind) {
      case 'outcome':
      case 'time':
        return '1';
      case 'ip':
        return 'source_ip_bin IS NOT NULL';
      case 'context':
        return this.context(col.key, null);
      default:
        return `${col.expr} IS NOT NULL`;
    }
  }

  private term(col: AuditColumn, type: FieldType, value: string | boolean): string {
    if (typeof value === 'boolean') return col.kind === 'bool' ? `${col.expr} = ${this.bind(value ? 1 : 0)}` : '0';
    switch (col.kind) {
      case 'bool':
        return '0';
      case 'outcome':
        return value === 'success' || value === 'failure' ? `success = ${this.bind(value === 'success' ? 1 : 0)}` : '0';
      case 'time': {
        const ms = Date.parse(value);
        // The field's value is the ISO form with milliseconds: only that exact text is equal.
        return Number.isFinite(ms) && isoOrNull(ms) === value ? `time_ms = ${this.bind(ms)}` : '0';
      }
      case 'ip': {
        const ip = parseIp(value);
        return ip === null ? '0' : `(source_ip_bin = unhex(${this.bind(hex(ip.bytes))}) AND source_ip = ${this.bind(value)})`;
      }
      case 'ref':
        return `${col.expr} = (SELECT id FROM dict WHERE value = ${this.bind(value)})`;
      case 'context':
        return this.context(col.key, `p.value = ${this.bind(value)}`);
      default: {
        if (type === 'text') return `instr(lower(${col.expr}), lower(${this.bind(value)})) > 0`;
        const eq = `${col.expr} = ${this.bind(value)}`;
        // The bytes follow from the text, so this adds no condition, only a way in by ix_audit_events_source_ip_time.
        const ip = col.expr === 'source_ip' ? parseIp(value) : null;
        return ip === null ? eq : `(${eq} AND source_ip_bin = unhex(${this.bind(hex(ip.bytes))}))`;
      }
    }
  }

  private wildcard(col: AuditColumn, segments: WildcardSegment[]): string {
    const segs = mergeLiterals(segments);
    if (segs.every((s) => s.kind === 'literal')) return this.stringOp(col, (x) => `${x} = ${this.bind(segs.map((s) => (s as { text: string }).text).join(''))}`);
    const prefix = segs.length === 2 && segs[0]?.kind === 'literal' && segs[1]?.kind === 'any' ? segs[0].text : null;
    const upper = prefix === null ? null : prefixUpper(prefix);
    if (prefix !== null && upper !== null) {
      // A literal prefix then '*': a range the indexes (and the dictionary's) can seek.
      return this.stringOp(col, (x) => `(${x} >= ${this.bind(prefix)} AND ${x} < ${this.bind(upper)})`);
    }
    if (segs.length === 1 && segs[0]?.kind === 'any') return this.stringOp(col, (x) => `${x} IS NOT NULL`);
    return this.stringOp(col, (x) => `${x} GLOB ${this.bind(globOf(segs))}`);
  }

  private range(col: AuditColumn, type: FieldType, lower: RangeBound | undefined, upper: RangeBound | undefined): string {
    if (type === 'date') {
      if (col.kind !== 'time') throw new Error('date range on a field without a time column');
      const parts: string[] = [];
      for (const [b, op] of [[lower, '>'], [upper, '<']] as const) {
        if (b === undefined) continue;
        const ms = Date.parse(String(b.value));
        if (!Number.isFinite(ms)) return '0';
        parts.push(`time_ms ${op}${b.inclusive ? '=' : ''} ${this.bind(ms)}`);
      }
      return parts.length === 0 ? '1' : `(${parts.join(' AND ')})`;
    }
    return this.stringOp(col, (x) => {
      const parts = [`${x} IS NOT NULL`];
      if (lower !== undefined) parts.push(`${x} >${lower.inclusive ? '=' : ''} ${this.bind(String(lower.value))}`);
      if (upper !== undefined) parts.push(`${x} <${upper.inclusive ? '=' : ''} ${this.bind(String(upper.value))}`);
      return `(${parts.join(' AND ')})`;
    });
  }

  private cidr(col: AuditColumn, field: string, network: string, family: 4 | 6, prefix: number): string {
    if (col.kind !== 'ip' && !(col.kind === 'text' && col.expr === 'source_ip')) throw new Error(`CIDR on ${field.slice(0, 80)}, which holds no IP addresses`);
    const net = parseIp(network);
    if (net === null) return '0';
    const bits = (family === 4 ? 96 : 0) + prefix;
    const lo = maskBytes(net.bytes, bits);
    const hi = Uint8Array.from(lo, (b, i) => b | (0xff >> Math.max(0, Math.min(8, bits - 8 * i))));
    return `source_ip_bin BETWEEN unhex(${this.bind(hex(lo))}) AND unhex(${this.bind(hex(hi))})`;
  }

  /** A condition on the field's value as text (null where the field holds no text). */
  private stringOp(col: AuditColumn, cond: (x: string) => string): string {
    switch (col.kind) {
      case 'bool':
        return '0';
      case 'outcome':
        return cond(OUTCOME);
      case 'time':
        return cond(ISO_TIME);
      case 'ip':
        return cond(SOURCE_IP);
      case 'ref':
        // Dictionary values of every field: the column holds only its own, so the others never match.
        return `${col.expr} IN (SELECT id FROM dict WHERE ${cond('value')})`;
      case 'context':
        return this.context(col.key, cond('p.value'));
      default:
        return cond(col.expr);
    }
  }

  /** The event has this context key (with a value meeting `valueCond`), found by the side table's primary key. */
  private context(key: string, valueCond: string | null): string {
    const pairs = `SELECT p.id FROM audit_context_pairs p WHERE p.key = ${this.bind(key)}${valueCond === null ? '' : ` AND ${valueCond}`}`;
    return `EXISTS (SELECT 1 FROM audit_event_context c WHERE c.time_ms = audit_events.time_ms AND c.event_seq = audit_events.seq AND c.pair_id IN (${pairs}))`;
  }
}

function isoOrNull(ms: number): string | null {
  try {
    return new Date(ms).toISOString();
  } catch {
    return null;
  }
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function mergeLiterals(segments: WildcardSegment[]): WildcardSegment[] {
  const out: WildcardSegment[] = [];
  for (const s of segments) {
    if (s.kind === 'literal' && s.text === '') continue;
    const last = out[out.length - 1];
    if (s.kind === 'literal' && last?.kind === 'literal') out[out.length - 1] = { kind: 'literal', text: last.text + s.text };
    else if (s.kind === 'any' && last?.kind === 'any') continue;
    else out.push(s);
  }
  return out;
}

/** GLOB's own metacharacters in a literal become one-character classes: [*], [?], [[]. */
export function globOf(segments: WildcardSegment[]): string {
  return segments.map((s) => (s.kind === 'any' ? '*' : s.kind === 'one' ? '?' : s.text.replace(/[[*?]/g, (c) => `[${c}]`))).join('');
}

/**
 * The least string above every string that starts with `prefix` (UTF-8 byte order is code
 * point order): its last code point plus one. Null when there is none (U+10FFFF).
 */
export function prefixUpper(prefix: string): string | null {
  const cps = Array.from(prefix);
  const last = cps.pop();
  if (last === undefined) return null;
  let c = (last.codePointAt(0) as number) + 1;
  if (c === 0xd800) c = 0xe000; // past the surrogates, which no valid string holds
  if (c > 0x10ffff) return null;
  return cps.join('') + String.fromCodePoint(c);
}
