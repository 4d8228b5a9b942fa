import { z } from 'zod';

/**
 * The contract between event emitters and the ingest intake (`ingest/sources/intake-http`).
 *
 * Request: `POST <intake>/v1/operations` (KeyOperations) or `/v1/dek-records` (DekRecords),
 * `Content-Type: application/x-ndjson`, `Content-Encoding: gzip`, one JSON record per line.
 * Records carry stable ids, so a batch sent twice (after a lost response) stores nothing twice.
 *
 * Response:
 * - 2xx: stored. A JSON body of `IntakeResponse` may report lines it refused (207 always
 *   should); refused lines are counted as rejected and never resent.
 * - 400 (and other 4xx not listed below): the batch is refused; `accepted` says how many
 *   lines were stored anyway (default 0) and `rejected` which lines were bad and why.
 * - 413: the batch is too large; the emitter splits it and sends the halves.
 * - 408, 425, 429, 5xx, timeouts and network errors: nothing was stored; the emitter resends
 *   after exponential backoff with jitter, waiting at least `Retry-After` when given.
 */
export const INTAKE_PATHS = { operations: '/v1/operations', dekRecords: '/v1/dek-records' } as const;
export type IntakeKind = keyof typeof INTAKE_PATHS;

export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';

export const IntakeRejectionSchema = z.object({
  /** 1-based line number within the batch. */
  line: z.number().int().positive(),
  error: z.string().max(2048),
});
export type IntakeRejection = z.infer<typeof IntakeRejectionSchema>;

export const IntakeResponseSchema = z.object({
  accepted: z.number().int().nonnegative().optional(),
  rejected: z.array(IntakeRejectionSchema).optional(),
});
export type IntakeResponse = z.infer<typeof IntakeResponseSchema>;

export type IntakeVerdict =
  | { kind: 'done'; stored: number; rejections: IntakeRejection[]; refused: number }
  | { kind: 'retry'; retryAfterMs: number | null; reason: string }
  | { kind: 'split' };

const RETRY_STATUSES = new Set([408, 425, 429]);

/** Decides what an intake answer means for a batch of `lines` lines. */
export function interpretIntakeResponse(status: number, body: string, retryAfter: string | null, lines: number, nowMs: number): IntakeVerdict {
  if (RETRY_STATUSES.has(status) || status >= 500) {
    return { kind: 'retry', retryAfterMs: parseRetryAfter(retryAfter, nowMs), reason: `HTTP ${status}` };
  }
  if (status === 413 && lines > 1) return { kind: 'split' };
  const parsed = parseBody(body);
  const rejections = (parsed.rejected ?? []).filter((r) => r.line <= lines);
  const ok = status >= 200 && status < 300;
  const stored = Math.min(lines, parsed.accepted ?? (ok ? lines - rejections.length : 0));
  return { kind: 'done', stored, rejections, refused: lines - stored };
}

function parseBody(body: string): IntakeResponse {
  if (!body.trim()) return {};
  try {
    const result = IntakeResponseSchema.safeParse(JSON.parse(body));
    return result.success ? result.data : {};
  } catch {
    return {};
  }
}

/** `Retry-After` as delay-seconds or an HTTP date, in ms; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null || value.trim() === '') return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}
