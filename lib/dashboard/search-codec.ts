/**
 * Question parameters ↔ an API query string. Filters travel as top-level keys
 * (`?service=billing`), numbers as decimal text; decoding does no validation: the
 * question's schema does that in the route handler and names what is wrong.
 */

const FILTER_KEYS = ['service', 'tenant', 'kekId'] as const;
const NUMBER_KEYS = new Set(['limit', 'latest', 'thresholdMs']);

export function encodeSearch(params: Record<string, unknown>): URLSearchParams {
  const out = new URLSearchParams();
  const put = (k: string, v: unknown): void => {
    if (v === undefined || v === null) return;
    out.set(k, typeof v === 'string' ? v : String(v));
  };
  for (const [k, v] of Object.entries(params)) {
    if (k === 'filters' && typeof v === 'object' && v !== null) {
      for (const [fk, fv] of Object.entries(v)) put(fk, fv);
    } else put(k, v);
  }
  out.sort();
  return out;
}

export function decodeSearch(search: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const filters: Record<string, string> = {};
  for (const [k, v] of search) {
    if ((FILTER_KEYS as readonly string[]).includes(k)) filters[k] = v;
    // A number only when the text is one; otherwise the schema reports "expected number".
    else if (NUMBER_KEYS.has(k) && v.trim() !== '' && Number.isFinite(Number(v))) out[k] = Number(v);
    else out[k] = v;
  }
  if (Object.keys(filters).length > 0) out.filters = filters;
  return out;
}
