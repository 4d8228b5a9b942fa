import type { z } from 'zod';

/**
 * Why a record cannot be normalized, worded for the dead-letter view: the field path as
 * it appears in the record (`resources[0].ARN`), then what is wrong with it.
 */
export class RecordProblem extends Error {
  override readonly name = 'RecordProblem';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `['resources', 0, 'ARN']` → `resources[0].ARN`; map keys that are not identifiers in quotes. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && IDENTIFIER.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out || 'record';
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** A short rendering of an offending value, so the reason shows what was there. */
export function preview(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/** One zod issue as "path: problem", with the received value looked up in the input. */
function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const path = formatPath(issue.path);
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined ? `${path}: required field is missing` : `${path}: expected ${issue.expected}, got ${typeName(value)}`;
    case 'invalid_format': {
      const what = issue.format === 'regex' ? `format (${issue.message})` : issue.format;
      return `${path}: invalid ${what} (got ${preview(value)})`;
    }
    case 'invalid_value':
      return `${path}: expected one of ${issue.values.map((v) => String(v)).join(', ')} (got ${preview(value)})`;
    case 'too_small':
      return issue.origin === 'string' && issue.minimum === 1 ? `${path}: must not be empty` : `${path}: ${issue.message}`;
    default:
      return `${path}: ${issue.message}`;
  }
}

const MAX_LISTED = 3;

/** All of a failed parse's issues (the first few, and how many more), in the record's own terms. */
export function describeZodError(error: z.ZodError, input: unknown): string {
  const issues = error.issues;
  const parts = issues.slice(0, MAX_LISTED).map((i) => describeIssue(i, input));
  if (issues.length > MAX_LISTED) parts.push(`(+${issues.length - MAX_LISTED} more)`);
  return parts.join('; ');
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
