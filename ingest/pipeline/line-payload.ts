import { createHash } from 'node:crypto';

/**
 * What a dead letter keeps of a line an application sent. A line that failed the schema
 * may carry anything an emitter got wrong, a plaintext DEK under a field the schema does
 * not know included, so its values are never kept: only the field names (enough to see
 * what was wrong), its size and a SHA-256 to match it with the sender's copy. A line that
 * is not JSON cannot be split into names and values; a short sample of its start is kept,
 * the least that shows what broke.
 */
export const SYNTAX_SAMPLE_CHARS = 80;
const MAX_FIELDS = 200;
const MAX_DEPTH = 6;

/** Dotted paths of every key in a JSON value (`a.b`, `list[].c`), in document order. */
export function fieldPaths(value: unknown, prefix = '', depth = 0, out: string[] = []): string[] {
  if (out.length >= MAX_FIELDS || depth > MAX_DEPTH) return out;
  if (Array.isArray(value)) {
    const seen = new Set<string>();
    for (const item of value) {
      const inner = fieldPaths(item, `${prefix}[]`, depth + 1, []);
      for (const p of inner) if (!seen.has(p)) seen.add(p);
    }
    for (const p of seen) if (out.length < MAX_FIELDS) out.push(p);
    return out;
  }
  if (typeof value !== 'object' || value === null) return out;
  for (const key of Object.keys(value)) {
    if (out.length >= MAX_FIELDS) break;
    const path = prefix === '' ? key : `${prefix}.${key}`;
    out.push(path);
    fieldPaths((value as Record<string, unknown>)[key], path, depth + 1, out);
  }
  return out;
}

/** The payload of a line's dead letter: `parsed` is the line's JSON when it parsed. */
export function deadLetterPayload(text: string, parsed: { json: unknown } | null): string {
  const sha256 = createHash('sha256').update(text).digest('hex');
  const bytes = Buffer.byteLength(text);
  if (parsed === null) {
    const sample = text.length <= SYNTAX_SAMPLE_CHARS ? text : `${text.slice(0, SYNTAX_SAMPLE_CHARS)}…`;
    return JSON.stringify({ kept: 'sample: the line is not JSON', sample, bytes, sha256 });
  }
  return JSON.stringify({ kept: 'field names only: values are not kept of a line that failed the schema', fields: fieldPaths(parsed.json), bytes, sha256 });
}
