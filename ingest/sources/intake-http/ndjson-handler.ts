import type { TimeBounds } from '../../../lib/model/time-window';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { scopeProblem } from '../../../lib/auth/emitter-tokens';
import { INTAKE_PATHS } from '../../../lib/model/intake-protocol';
import type { Pipeline } from '../../pipeline/pipeline';
import { validateNdjsonLines, type LineRejection } from '../../pipeline/ndjson-lines';
import type { LineKind } from '../../pipeline/validate-line';
import type { Receipt } from '../../pipeline/unit';
import type { Writer } from './emitter-auth';
import { EmptyBodyError } from './errors';
import type { Reservation } from './inflight-budget';
import { ndjsonLineGroups } from './ndjson-stream';
import { bodyChunks, checkNdjsonHeaders, type BodyLimits } from './read-body';
import type { Reply } from './responses';

export const INTAKE_SOURCE = 'intake-http';

/** Defaults of KEYSCOPE_INTAKE_MAX_LINE_BYTES and _MAX_LINES (lib/config.ts) for callers that give none. */
export const DEFAULT_LINE_LIMITS = { maxLineBytes: 1024 * 1024, maxLines: 100_000 };

export type NdjsonHandlerContext = {
  pipeline: Pipeline;
  limits: BodyLimits;
  now: () => Date;
  timeBounds?: TimeBounds;
  writer: Writer;
  reservation: Reservation;
};

/** What a request did, for the access log (never the lines themselves). */
export type NdjsonOutcome = { requestId: string; lines: number; accepted: number; rejected: number; token: string | null };

/**
 * POST /v1/operations | /v1/dek-records: the body is read line by line as it arrives (and
 * inflates); each group of lines is validated with the record's schema and the writer's
 * token scope and handed to the pipeline at once, so a request holds a group, not its body.
 * Good lines are stored, bad ones dead-lettered with their reason, and the answer is sent
 * only once the store has committed all of them, as the client counts a 2xx as stored
 * (lib/model/intake-protocol.ts): 200 all stored, 207 some refused (listed), 400 all refused.
 */
export async function handleNdjson(kind: LineKind, req: IncomingMessage, ctx: NdjsonHandlerContext): Promise<Reply & { outcome: NdjsonOutcome }> {
  const { gzip } = checkNdjsonHeaders(req);
  const requestId = randomUUID();
  const path = INTAKE_PATHS[kind];
  const receivedAt = ctx.now();
  const writer = ctx.writer;
  const lineCtx = {
    source: INTAKE_SOURCE,
    location: (line: number) => `POST ${path} request ${requestId} line ${line}${writer ? ` token ${writer.tokenId}` : ''}`,
    // The line's bytes, not the request: a batch resent after a lost answer dead-letters once.
    identity: (_line: number, text: string) => `${kind}\0${text}`,
    receivedAt,
    times: { mode: 'live' as const, bounds: ctx.timeBounds },
    ...(writer ? { scope: (service: string, tenant: string) => scopeProblem(writer.scope, service, tenant) } : {}),
  };
  const limits = { maxLineBytes: ctx.limits.maxLineBytes ?? DEFAULT_LINE_LIMITS.maxLineBytes, maxLines: ctx.limits.maxLines ?? DEFAULT_LINE_LIMITS.maxLines };
  let accepted = 0;
  const rejections: LineRejection[] = [];
  const receipts: Array<Promise<void>> = [];
  const chunks = bodyChunks(req, gzip, ctx.limits, ctx.reservation);
  try {
    for await (const group of ndjsonLineGroups(chunks, limits, () => accepted)) {
      const result = validateNdjsonLines(kind, group.lines, group.firstLine, lineCtx);
      accepted += result.accepted;
      rejections.push(...result.rejections);
      if (result.accepted + result.rejections.length === 0) continue;
      const receipt: Receipt = await ctx.pipeline.submit(result.unit);
      // Awaited below; a failure nobody has awaited yet is not unhandled.
      receipt.committed.catch(() => undefined);
      receipts.push(receipt.committed);
    }
  } finally {
    // What was handed on is stored whatever ends the request (a resend is deduplicated by id).
    if (receipts.length > 0) await ctx.pipeline.submit({}, { urgent: true }).then((r) => r.committed).catch(() => undefined);
  }
  const total = accepted + rejections.length;
  if (total === 0) throw new EmptyBodyError('request body has no records: send one JSON record per line');
  await Promise.all(receipts);
  const status = rejections.length === 0 ? 200 : accepted === 0 ? 400 : 207;
  return {
    status,
    body: { accepted, rejected: rejections },
    outcome: { requestId, lines: total, accepted, rejected: rejections.length, token: writer?.tokenId ?? null },
  };
}
