/** What a field holds, for reasons: `null`, `array`, or its typeof. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** An identifier within its bound, else empty: cutting it would name something else (raw keeps it whole). */
export function bounded(value: string | undefined, max: number): string | null {
  return value === undefined || value.length > max ? null : value;
}

/** Free text (user agents, error messages) is cut to fit instead; raw keeps the whole of it. */
export function truncated(value: string, max: number): string {
  return value.length > max ? value.slice(0, max) : value;
}

/** An optional string field of a loose object (requestParameters, ...); another type reads as absent. */
export function optionalString(obj: Record<string, unknown> | null | undefined, key: string): string | undefined {
  const v = obj?.[key];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** An optional nested object of a loose object (e.g. requestParameters.encryptionContext); another type reads as absent. */
export function optionalObject(obj: Record<string, unknown> | null | undefined, key: string): Record<string, unknown> | undefined {
  const v = obj?.[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
